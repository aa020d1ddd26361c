from . import report_site_legal_cases_xlsx
