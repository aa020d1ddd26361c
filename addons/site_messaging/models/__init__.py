from . import mail_mail, res_company, res_partner, site_message, site_message_template, site_unit
