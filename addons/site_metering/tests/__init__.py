from . import test_readings
from . import test_allocation
from . import test_tariffs
from . import test_campaigns
from . import test_reading_import
from . import test_reports
from . import test_expense_notice
from . import test_remote
