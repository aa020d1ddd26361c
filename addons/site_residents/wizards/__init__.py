from . import site_unit_change_wizard
from . import site_unit_change_wizard_line
from . import site_setup_wizard
