from . import site_setup_wizard
from . import site_legal_handover_wizard
from . import site_legal_settlement_wizard
from . import site_legal_writeoff_wizard
from . import site_legal_stage_wizard
