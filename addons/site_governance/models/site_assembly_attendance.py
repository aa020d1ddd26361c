from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SiteAssemblyAttendance(models.Model):
    """A unit present at an assembly: its owner in person, or a proxy with the written
    proxy. Counts towards the quorum by number and by share."""

    _name = "site.assembly.attendance"
    _description = "Assembly Attendance"
    _order = "assembly_id, unit_code_sort, id"
    _check_company_auto = True
    _rec_name = "unit_id"

    assembly_id = fields.Many2one("site.assembly", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="assembly_id.company_id", store=True, string="Site")
    unit_id = fields.Many2one(
        "site.unit",
        required=True,
        index=True,
        check_company=True,
        domain="[('company_id', '=', company_id)]",
    )
    unit_code_sort = fields.Char(related="unit_id.code_sort", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Owner", help="The owner present, or the one who gave the proxy."
    )
    mode = fields.Selection(
        [("in_person", "In Person"), ("proxy", "By Proxy")],
        string="Present",
        required=True,
        default="in_person",
    )
    proxy_name = fields.Char(string="Proxy")
    proxy_document = fields.Binary(string="Proxy Document", attachment=True)
    proxy_document_name = fields.Char()
    arrived_at = fields.Datetime(default=fields.Datetime.now)

    _unit_uniq = models.Constraint(
        "UNIQUE (assembly_id, unit_id)", "A unit is counted present once per assembly."
    )

    @api.constrains("mode", "proxy_name", "proxy_document")
    def _check_proxy(self):
        for row in self.filtered(lambda r: r.mode == "proxy"):
            if not row.proxy_name:
                raise ValidationError(
                    self.env._(
                        "Unit %(unit)s is present by proxy: name the proxy (Proxy).",
                        unit=row.unit_id.code,
                    )
                )
            if not row.proxy_document:
                raise ValidationError(
                    self.env._(
                        "Unit %(unit)s is present by proxy: attach the written proxy of "
                        "%(proxy)s (Proxy Document).",
                        unit=row.unit_id.code,
                        proxy=row.proxy_name,
                    )
                )
