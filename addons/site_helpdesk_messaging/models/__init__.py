from . import res_company
from . import helpdesk_ticket
