from . import report_site_cash_report_xlsx
