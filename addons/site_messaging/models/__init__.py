from . import (
    mail_mail,
    res_company,
    res_partner,
    site_accrual_run,
    site_message,
    site_message_automation,
    site_message_overdue_level,
    site_message_template,
    site_unit,
)
