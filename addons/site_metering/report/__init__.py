from . import site_metering_xlsx_report
from . import report_site_consumption_xlsx
from . import report_site_allocation_lines_xlsx
from . import report_expense_notice
from . import report_expense_notice_line
