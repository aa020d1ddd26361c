from . import res_company, site_cost_allocation, site_message_automation
