from . import site_accrual_wizard
from . import site_special_charge
from . import site_statement_wizard
from . import site_setup_wizard
