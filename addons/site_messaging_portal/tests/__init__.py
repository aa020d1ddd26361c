from . import test_portal_messages
