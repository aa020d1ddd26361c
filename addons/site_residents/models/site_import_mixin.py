from odoo import models
from odoo.fields import Domain
from odoo.tools import SQL


class SiteImportMixin(models.AbstractModel):
    """Resolve references by code within the current site while importing.

    Codes such as building "A" or unit "A-12" repeat from site to site; an import runs
    in the site chosen in the company switcher, so its rows match that site's records
    (and the records shared by all sites, where the model has them).

    Preloaded values with a translated name (unit types, charge types) match by their
    code or by their name in any language, so that one file imports the same in Turkish,
    Polish, Ukrainian or English.
    """

    _name = "site.import.mixin"
    _description = "Site-scoped Import Matching"

    def _search_display_name(self, operator, value):
        domain = super()._search_display_name(operator, value)
        if not self.env.context.get("import_file"):
            return domain
        name = self._fields.get("name")
        if operator == "in" and name and name.translate:  # the import looks names up by "="
            names = [item for item in value if isinstance(item, str)]
            domain = Domain.OR([domain, Domain("code", "in", names), _name_in_any_language(names)])
        return Domain.AND([domain, Domain("company_id", "in", [False, self.env.company.id])])


def _name_in_any_language(names):
    """The record's name, in one of the languages it is stored in, is one of ``names``."""

    def to_sql(model, alias, query):
        model.flush_model(["name"])
        return SQL(
            "EXISTS (SELECT FROM jsonb_each_text(%s) AS t(lang, name) WHERE t.name = ANY(%s))",
            SQL.identifier(alias, "name"),
            names,
        )

    return Domain.custom(to_sql=to_sql)
