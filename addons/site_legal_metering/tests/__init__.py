from . import test_shutoff_readings
