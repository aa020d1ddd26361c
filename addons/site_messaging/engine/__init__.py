"""Plain-Python rules of site_messaging: no Odoo import anywhere in this package.

``rendering``: merge fields in a template's body, amounts and dates in the reader's
language; ``segments``: an SMS's encoding (GSM-7 or UCS-2), length and parts;
``quiet_hours``: when a site may send SMS; ``delivery``: the key that makes a message
unique (a re-run sends nothing twice) and how a gateway's answer is classified.
"""
