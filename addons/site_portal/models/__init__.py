from . import (  # noqa: F401
    account_payment,
    payment_transaction,
    report_payment_form,
    report_payment_receipt,
    site_portal,
)
