from odoo import api, models


class IrQwebFieldSiteMonth(models.AbstractModel):
    """QWeb widget ``site_month``: a month (stored as any of its days) printed as month and
    year in the document's language, e.g. ``t-options='{"widget": "site_month"}'``."""

    _name = "ir.qweb.field.site_month"
    _description = "QWeb Month and Year"
    _inherit = ["ir.qweb.field.date"]

    @api.model
    def value_to_html(self, value, options):
        return self.env["site.display"]._month_label(value)
