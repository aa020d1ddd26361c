from . import report_site_message_xlsx
