from odoo import api, fields, models

METHODS = [
    ("email", "E-mail"),
    ("letter", "Letter"),
    ("registered", "Registered Letter"),
    ("in_person", "In Person"),
]


class SiteAssemblyNotice(models.Model):
    """The notice of an assembly to one owner: how it was delivered and when, and (for
    a written procedure) when their questionnaire came back."""

    _name = "site.assembly.notice"
    _description = "Assembly Notice"
    _order = "assembly_id, partner_id"
    _check_company_auto = True
    _rec_name = "partner_id"

    assembly_id = fields.Many2one("site.assembly", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="assembly_id.company_id", store=True, string="Site")
    partner_id = fields.Many2one("res.partner", string="Owner", required=True, index=True)
    unit_ids = fields.Many2many("site.unit", string="Units", check_company=True)
    method = fields.Selection(METHODS, required=True, default="letter")
    sent_on = fields.Date(help="The day the notice was sent or handed over.")
    received_on = fields.Date(
        string="Acknowledged On",
        help="The signature of a notice handed over, the return receipt of a registered letter.",
    )
    tracking_ref = fields.Char(string="Registered Letter No.")
    questionnaire_returned_on = fields.Date(
        string="Questionnaire Returned On",
        help="Written procedure: the day the owner's questionnaire came back.",
    )
    state = fields.Selection(
        [("to_send", "To Send"), ("sent", "Sent"), ("received", "Acknowledged")],
        compute="_compute_state",
        store=True,
    )
    email = fields.Char(related="partner_id.email")
    note = fields.Char()

    _partner_uniq = models.Constraint(
        "UNIQUE (assembly_id, partner_id)", "An owner gets one notice per assembly."
    )

    @api.depends("sent_on", "received_on")
    def _compute_state(self):
        for notice in self:
            notice.state = (
                "received" if notice.received_on else "sent" if notice.sent_on else "to_send"
            )

    def action_mark_sent(self):
        """The notices chosen were sent today (those not sent yet)."""
        self.filtered(lambda n: not n.sent_on).sent_on = fields.Date.context_today(self)
        return True

    def action_mark_questionnaire_returned(self):
        self.filtered(
            lambda n: not n.questionnaire_returned_on
        ).questionnaire_returned_on = fields.Date.context_today(self)
        return True
