from odoo import api, models

from odoo.addons.site_dues.models.account_move_line import SITE_RECEIVABLE

# A link sent in a message stays valid well past the due date it announces.
MESSAGE_LINK_HOURS = 45 * 24


class SiteMessageTemplate(models.Model):
    _inherit = "site.message.template"

    @api.model
    def _site_payment_links(self, company, recipients):
        """{partner id: the signed link paying what the person owes on each of their
        units, without signing in}: one link per unit owing, named by the unit when
        there are several. People who owe nothing get none."""
        links = super()._site_payment_links(company, recipients)
        units = self.env["site.unit"].browse({u.id for us in recipients.values() for u in us})
        owed = {
            (partner.id, unit.id): residual
            for partner, unit, residual in self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("site_unit_id", "in", units.ids),
                    ("partner_id", "in", [p.id for p in recipients]),
                    *SITE_RECEIVABLE,
                ],
                ["partner_id", "site_unit_id"],
                ["amount_residual:sum"],
            )
        }
        portal = self.env["site.portal"].sudo()
        base_url = company.get_base_url()
        currency = company.currency_id
        for partner, partner_units in recipients.items():
            urls = []
            for unit in partner_units:
                amount = currency.round(owed.get((partner.id, unit.id), 0.0))
                if currency.compare_amounts(amount, 0.0) > 0:
                    token = portal._make_pay_link(unit, partner, amount, hours=MESSAGE_LINK_HOURS)
                    urls.append((unit.code, f"{base_url}/site/pay/{token}"))
            if len(urls) == 1:
                links[partner.id] = urls[0][1]
            elif urls:
                links[partner.id] = " ".join(f"{code}: {url}" for code, url in urls)
        return links
