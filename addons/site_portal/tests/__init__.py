from . import test_portal_payment, test_portal_readings, test_portal_routes, test_ui  # noqa: F401
from . import test_portal_announcements  # noqa: F401
from . import test_portal_payment_multi  # noqa: F401
from . import test_portal_requests, test_portal_privacy  # noqa: F401
from . import test_portal_widget, test_portal_legal_section  # noqa: F401
from . import test_portal_consumption_comparison  # noqa: F401
from . import test_portal_branding, test_portal_login  # noqa: F401
from . import test_portal_speed  # noqa: F401
