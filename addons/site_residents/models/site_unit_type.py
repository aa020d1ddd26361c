from odoo import fields, models


class SiteUnitType(models.Model):
    _name = "site.unit.type"
    _inherit = ["site.import.mixin"]
    _description = "Unit Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        help="Stable code for imports, e.g. FLAT_2_1: an import matches a unit type by its "
        "code or by its name in any language."
    )
    kind = fields.Selection(
        [
            ("flat", "Flat"),
            ("house", "House"),
            ("shop", "Shop"),
            ("office", "Office"),
            ("parking", "Parking Space"),
            ("storage", "Storage"),
            ("other", "Other"),
        ],
        required=True,
        default="flat",
    )
    rooms = fields.Char(help="Room layout, e.g. 2+1.")
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company",
        string="Site",
        index=True,
        help="Leave empty to share the type between all sites.",
    )
    active = fields.Boolean(default=True)

    _code_uniq = models.UniqueIndex(
        "(COALESCE(company_id, 0), code) WHERE code IS NOT NULL",
        "The unit type code must be unique within a site and among shared types.",
    )
