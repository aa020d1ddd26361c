from odoo import fields, models


class PaymentTransaction(models.Model):
    """A resident's online payment for a unit: once confirmed, one payment is posted
    on the unit, which site_dues settles against the unit's debts by the site's rule."""

    _inherit = "payment.transaction"

    site_unit_id = fields.Many2one("site.unit", string="Site Unit", readonly=True, index=True)

    def _post_process(self):
        # Providers may notify a transaction several times, also at once: the row lock
        # makes a second post-processing wait, then fail to serialise and retry, by which
        # time the first one's payment exists and none is created again.
        if self.ids:
            self.env.cr.execute(
                "SELECT id FROM payment_transaction WHERE id IN %s FOR NO KEY UPDATE",
                [tuple(self.ids)],
            )
        return super()._post_process()

    def _create_payment(self, **extra_create_values):
        if self.site_unit_id:
            extra_create_values = {
                "site_unit_id": self.site_unit_id.id,
                "partner_id": self.partner_id.id,
                **extra_create_values,
            }
        return super()._create_payment(**extra_create_values)
