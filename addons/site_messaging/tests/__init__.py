from . import test_access, test_netgsm, test_sending, test_smsapi, test_templates
