from . import (
    test_bank_import,
    test_books,
    test_budget_books,
    test_cash_box,
    test_instruments,
    test_key_figures,
    test_mis_reports,
    test_pdf_reports,
    test_provider_payouts,
    test_staff_advances,
    test_staff_payroll,
)
