from . import test_routing_deadlines
from . import test_paid_service
from . import test_performance
from . import test_access
from . import test_oca_helpdesk
