from . import test_notice_messages
