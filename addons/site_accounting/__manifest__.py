{
    "name": "Site Accounting",
    "summary": "The accountant's books for residential sites: bank statements imported "
    "from the banks' files and matched to units, financial reports, receipts and payments",
    "version": "19.0.1.1.0",
    "category": "Services/Site Management",
    "author": "Site Suite contributors",
    "license": "LGPL-3",
    "depends": [
        "site_dues",
        "account_statement_import_sheet_file",
        "account_statement_import_camt",
        "account_financial_report",
        "mis_builder",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/site_accounting_rules.xml",
        "data/site_bank_mappings.xml",
        "data/mis_report_tr.xml",
        "data/site_accounting_setup.xml",
        "views/account_bank_statement_line_views.xml",
        "views/site_cash_report_views.xml",
        "views/site_negotiable_instrument_views.xml",
        "views/site_staff_advance_views.xml",
        "views/site_staff_payroll_views.xml",
        "views/site_accounting_menus.xml",
    ],
    "demo": [
        "demo/site_accounting_demo.xml",
    ],
    "installable": True,
}
