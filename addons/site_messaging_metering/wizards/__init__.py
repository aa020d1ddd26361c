from . import site_message_wizard
