"""Plain-Python rules of site_residents: no Odoo import anywhere in this package.

The models gather records, call these functions and write what they return; the
functions are unit-tested on their own (tests/unit in the repository).
"""
