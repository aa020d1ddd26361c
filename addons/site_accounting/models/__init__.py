from . import (
    account_bank_statement_line,
    account_journal,
    account_statement_import_sheet_mapping,
    res_company,
    site_cash_balance,
    site_cash_report,
    site_key_figure,
    site_negotiable_instrument,
    site_staff_advance,
    site_staff_advance_expense,
    site_staff_payroll,
    site_staff_payroll_line,
)
