"""Plain-Python rules of site_dues: no Odoo import anywhere in this package.

Money is ``decimal.Decimal`` throughout, rounded half up to the currency's digits.
The models gather records, call these functions and write what they return; the
functions are unit-tested on their own (tests/unit in the repository).
"""
