from . import test_accrual
from . import test_late_fees
from . import test_payments
from . import test_statements
from . import test_budgets
