"""Plain-Python rules of site_residents: no Odoo import anywhere in this package.

``money``: the suite's one rounding (half up to the currency's digits) and one split
(largest remainder), used by every addon's engines; ``dates``: months and days in
them; ``history``: dated owners, tenants and residents, and who is liable when;
``national_id``: national ID checks; ``display``: month and file-name formats;
``spreadsheet``: bounded XLSX/CSV reading and writing; ``login_networks``: the
networks staff may sign in from. The models gather records, call these functions and
write what they return; the functions are unit-tested on their own (tests/unit).
"""
