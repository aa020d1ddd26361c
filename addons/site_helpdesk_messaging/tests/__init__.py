from . import test_status_messages
