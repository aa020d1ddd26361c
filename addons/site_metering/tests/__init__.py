from . import test_readings
