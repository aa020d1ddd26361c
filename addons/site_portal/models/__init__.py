from . import res_company
from . import site_portal
from . import payment_transaction
from . import account_payment
from . import report_payment_form
from . import report_payment_receipt
