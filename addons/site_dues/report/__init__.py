from . import site_xlsx_report
from . import report_site_debtors_xlsx
from . import report_site_collections_xlsx
from . import report_site_statement_xlsx
from . import report_site_budget_xlsx
from . import report_site_charge_notice
from . import ir_actions_report
