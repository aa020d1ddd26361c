from . import res_company, site_announcement, site_message_automation, site_message_template
