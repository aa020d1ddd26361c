from . import test_bank_import, test_books, test_mis_reports
