"""Plain-Python rules of site_metering: no Odoo import anywhere in this package.

``heat``: heat-cost sharing (Turkish regulation of 2008, German comparison rules),
``allocators``: EN 834 heat cost allocator consumption values, ``readings``: meter
reading checks, consumption and estimation; ``collector_upload``: the schema of a
collector's upload, ``gateway_access``: the networks gateways may be reached on,
``auth_throttle``: refused API keys counted per address, ``remote``: which meter a
remote reading is of, one reading a day, read errors and a meter's remote status,
``alarms``: meter alarm events opened, extended and cleared by the telegrams' alarm
codes, ``cost_allocation``: a bill's parts, their amounts and every unit's share with
its steps, and the split at a change of occupant. Money is ``decimal.Decimal`` throughout,
rounded half up and split through ``odoo.addons.site_residents.engine.money``.
"""
