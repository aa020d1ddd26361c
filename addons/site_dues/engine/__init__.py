"""Plain-Python rules of site_dues: no Odoo import anywhere in this package.

``allocation``: set amounts per unit; ``late_fees``: late-fee rules, the cron date and
fees per payer; ``payments``: the order in which a payment settles open charges;
``aging``: debt buckets; ``payment_codes``: payment references and QR payloads;
``special_charges``: special charges' lines; ``budget``: planned against actual.
Money is ``decimal.Decimal`` throughout, rounded half up and split through
``odoo.addons.site_residents.engine.money``. The models gather records, call these
functions and write what they return; the functions are unit-tested on their own
(tests/unit in the repository).
"""
