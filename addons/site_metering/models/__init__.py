from . import res_company
from . import site_meter_model
from . import site_meter
from . import site_meter_reading
