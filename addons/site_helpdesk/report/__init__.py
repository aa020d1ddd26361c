from . import report_helpdesk_performance_xlsx
