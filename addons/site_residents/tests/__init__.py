from . import test_history
from . import test_liability
from . import test_national_id
from . import test_access
from . import test_change_wizard
from . import test_setup_wizard
from . import test_import
from . import test_ui
