from . import site_accrual_wizard
from . import site_special_charge
from . import site_special_charge_line
from . import site_statement_wizard
from . import site_debtor_report_wizard
from . import site_debtor_report_line
from . import site_setup_wizard
