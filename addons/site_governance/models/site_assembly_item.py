from odoo import fields, models


class SiteAssemblyItem(models.Model):
    """One point of an assembly's agenda, with the resolution that decides it, if any."""

    _name = "site.assembly.item"
    _description = "Agenda Item"
    _order = "assembly_id, sequence, id"
    _check_company_auto = True

    assembly_id = fields.Many2one("site.assembly", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="assembly_id.company_id", store=True, string="Site")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Item", required=True)
    description = fields.Text()
    resolution_id = fields.Many2one(
        "site.resolution",
        check_company=True,
        domain="[('assembly_id', '=', assembly_id)]",
        help="The resolution voted on this item.",
    )
