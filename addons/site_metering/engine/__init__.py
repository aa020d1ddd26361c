"""Plain-Python rules of site_metering: no Odoo import anywhere in this package.

``heat``: heat-cost sharing (Turkish regulation of 2008, German comparison rules),
``allocators``: EN 834 heat cost allocator consumption values, ``readings``: meter
reading checks, consumption and estimation; ``collector_upload``: the schema of a
collector's upload, ``gateway_access``: the networks gateways may be reached on,
``auth_throttle``: refused API keys counted per address. Money is ``decimal.Decimal`` throughout,
rounded half up to the currency's digits; split amounts add up to their total exactly.
"""
