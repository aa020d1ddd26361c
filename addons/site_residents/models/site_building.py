from odoo import api, fields, models


class SiteBuilding(models.Model):
    _name = "site.building"
    _description = "Building"
    _inherit = ["mail.thread", "site.import.mixin", "site.company.mixin"]
    _order = "company_id, sequence, code"
    _check_company_auto = True
    _rec_names_search = ["code", "name"]

    name = fields.Char(required=True, tracking=True, translate=False)
    code = fields.Char(required=True, tracking=True, help="Short code, e.g. A or B1.")
    sequence = fields.Integer(default=10)
    street = fields.Char()
    city = fields.Char()
    floor_count = fields.Integer(string="Floors")
    year_built = fields.Integer()
    unit_ids = fields.One2many("site.unit", "building_id", string="Units")
    unit_count = fields.Integer(compute="_compute_totals")
    area_net_total = fields.Float(
        string="Closed Area (m²)", compute="_compute_totals", digits=(16, 2)
    )
    area_heated_total = fields.Float(
        string="Heated Area (m²)", compute="_compute_totals", digits=(16, 2)
    )
    note = fields.Html()
    active = fields.Boolean(default=True)

    _code_site_uniq = models.Constraint(
        "UNIQUE (company_id, code)", "The building code must be unique within a site."
    )

    @api.depends("unit_ids.area_net", "unit_ids.area_heated")
    def _compute_totals(self):
        totals = {
            building.id: (count, net, heated)
            for building, count, net, heated in self.env["site.unit"]._read_group(
                [("building_id", "in", self.ids)],
                ["building_id"],
                ["__count", "area_net:sum", "area_heated:sum"],
            )
        }
        for building in self:
            count, net, heated = totals.get(building.id, (0, 0.0, 0.0))
            building.unit_count = count
            building.area_net_total = net
            building.area_heated_total = heated

    @api.depends("code", "name")
    def _compute_display_name(self):
        for building in self:
            building.display_name = (
                building.name
                if building.name == building.code
                else f"{building.code} · {building.name}"
            )

    def action_units(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("site_residents.action_site_unit")
        action["domain"] = [("building_id", "=", self.id)]
        action["context"] = {
            "default_building_id": self.id,
            "default_company_id": self.company_id.id,
        }
        return action
