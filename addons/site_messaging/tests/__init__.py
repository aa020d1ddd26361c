from . import test_access, test_netgsm, test_sending, test_smsapi, test_templates
from . import test_delivery_callbacks, test_iletimerkezi, test_turbosms
from . import test_automation
