from . import site_meter_replace_wizard
from . import site_reading_reject_wizard
from . import site_reading_import
from . import site_metering_export
from . import site_unit_readings_wizard
