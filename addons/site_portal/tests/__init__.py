from . import test_portal_payment, test_portal_readings, test_portal_routes, test_ui  # noqa: F401
