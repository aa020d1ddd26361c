from odoo import models
from odoo.fields import Domain


class SiteImportMixin(models.AbstractModel):
    """Resolve references by code within the current site while importing.

    Codes such as building "A" or unit "A-12" repeat from site to site; an import runs
    in the site chosen in the company switcher, so its rows match that site's records.
    """

    _name = "site.import.mixin"
    _description = "Site-scoped Import Matching"

    def _search_display_name(self, operator, value):
        domain = super()._search_display_name(operator, value)
        if self.env.context.get("import_file"):
            domain = Domain.AND([domain, Domain("company_id", "=", self.env.company.id)])
        return domain
