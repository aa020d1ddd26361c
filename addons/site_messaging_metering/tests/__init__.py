from . import test_metering_messages
