from collections import defaultdict

from odoo import fields, models

from odoo.addons.site_residents.engine import history

PAYER_ROLES = (history.OWNER, history.TENANT)


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    site_suggested_unit_ids = fields.Many2many(
        "site.unit",
        string="Suggested Units",
        compute="_compute_site_suggested_unit_ids",
        help="Units this transaction may pay for: those of its partner, of a holder "
        "named like the payer in the file, or whose code the label quotes.",
    )

    def _site_payer_units(self):
        """{line: units} the line's partner holds (as owner or tenant) on its date."""
        lines = self.filtered("partner_id")
        relations = self.env["site.unit.relation"].search(
            [
                ("partner_id", "in", lines.partner_id.ids),
                ("company_id", "in", lines.company_id.ids),
                ("role", "in", PAYER_ROLES),
            ]
        )
        by_partner = defaultdict(list)
        for relation in relations:
            by_partner[relation.partner_id, relation.company_id].append(relation)
        result = {}
        for line in lines:
            result[line] = self.env["site.unit"].union(
                *(
                    relation.unit_id
                    for relation in by_partner[line.partner_id, line.company_id]
                    if relation.date_from <= line.date
                    and (not relation.date_to or relation.date_to >= line.date)
                )
            )
        return result

    def _site_match_partner(self):
        """Set the unit of open lines whose partner holds exactly one unit of the site;
        returns the lines matched."""
        matched = self.browse()
        open_lines = self.filtered(lambda line: not line.is_reconciled and not line.site_unit_id)
        for line, units in open_lines._site_payer_units().items():
            if len(units) == 1:
                line.site_unit_id = units
                matched |= line
        return matched

    def _compute_site_suggested_unit_ids(self):
        open_lines = self.filtered(lambda line: not line.is_reconciled and not line.site_unit_id)
        (self - open_lines).site_suggested_unit_ids = False
        if not open_lines:
            return
        by_partner = open_lines._site_payer_units()
        units = self.env["site.unit"].search([("company_id", "in", open_lines.company_id.ids)])
        holders = self.env["site.unit.relation"].search(
            [("unit_id", "in", units.ids), ("role", "in", PAYER_ROLES), ("state", "=", "current")]
        )
        for line in open_lines:
            label = " ".join(filter(None, (line.payment_ref, line.partner_name))).casefold()
            words = set(label.replace(",", " ").split())
            site_units = units.filtered(lambda unit, line=line: unit.company_id == line.company_id)
            named = holders.filtered(
                lambda relation, line=line, label=label: (
                    relation.company_id == line.company_id
                    and relation.partner_id.name
                    and relation.partner_id.name.casefold() in label
                )
            ).unit_id
            quoted = site_units.filtered(
                lambda unit, words=words: unit.code and unit.code.casefold() in words
            )
            line.site_suggested_unit_ids = by_partner.get(line, units.browse()) | named | quoted

    def action_site_use_suggestion(self):
        """Take the only suggested unit and book the transaction on it."""
        for line in self.filtered(lambda line: len(line.site_suggested_unit_ids) == 1):
            line.site_unit_id = line.site_suggested_unit_ids
        return self.action_site_reconcile()
