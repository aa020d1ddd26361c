from . import (
    account_bank_statement_line,
    account_journal,
    account_statement_import_sheet_mapping,
    site_cash_balance,
    site_cash_report,
)
