from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.site_dues.models.account_move_line import SITE_RECEIVABLE

PREVIEW_COUNT = 5


class SiteMessageWizard(models.TransientModel):
    """A bulk send: a template to an audience of one site (buildings, owners or tenants,
    debtors above an amount or overdue for some days), previewed, counted and priced
    before it is queued. Sending twice from the same wizard sends nothing twice."""

    _name = "site.message.wizard"
    _description = "Send Site Messages"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        string="Site",
        required=True,
        default=lambda self: self.env.company,
        domain=[("is_site", "=", True)],
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    template_id = fields.Many2one(
        "site.message.template",
        required=True,
        check_company=True,
        domain="[('company_id', '=', company_id)]",
    )
    channel = fields.Selection(related="template_id.channel")
    building_ids = fields.Many2many(
        "site.building",
        string="Buildings",
        check_company=True,
        domain="[('company_id', '=', company_id)]",
        help="Empty: every building of the site.",
    )
    audience = fields.Selection(
        [("owner", "Owners"), ("tenant", "Tenants"), ("all", "Owners and Tenants")],
        required=True,
        default="all",
    )
    min_balance = fields.Monetary(
        string="Debt Above",
        help="Only people whose open balance on their units is above this amount.",
    )
    overdue_days = fields.Integer(
        string="Overdue For (days)",
        help="Only people with a charge overdue for at least this many days.",
    )
    reading_date_from = fields.Date(string="Reading Window From")
    reading_date_to = fields.Date(string="Reading Window To")
    recipient_count = fields.Integer(string="Messages", compute="_compute_preview")
    skipped_count = fields.Integer(
        string="Skipped",
        compute="_compute_preview",
        help="People opted out, without an address for the channel, or already sent this.",
    )
    cost_estimate = fields.Monetary(string="Cost", compute="_compute_preview")
    preview = fields.Html(compute="_compute_preview", sanitize=False)
    message_ids = fields.Many2many("site.message", string="Queued Messages", readonly=True)

    def _document_ref(self):
        return f"{self._name},{self.id}" if self.id else ""

    def _audience_roles(self):
        """The unit roles the audience reaches; bridges add audiences."""
        return ["owner", "tenant"] if self.audience == "all" else [self.audience]

    def _audience_filter(self, recipients):
        """``recipients`` ({partner: units}) narrowed to the audience: a bridge's audience
        keeps some of them, or some of their units only."""
        return recipients

    def _recipients(self):
        """{partner: units} of the audience, today, in a few queries."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        domain = [
            ("company_id", "=", self.company_id.id),
            ("role", "in", self._audience_roles()),
            *self.env["site.unit.relation"]._domain_active_on(today),
        ]
        if self.building_ids:
            domain.append(("building_id", "in", self.building_ids.ids))
        relations = self.env["site.unit.relation"].search(domain)
        recipients = {}
        for relation in relations:
            recipients[relation.partner_id] = (
                recipients.get(relation.partner_id, relation.unit_id.browse()) | relation.unit_id
            )
        recipients = self._audience_filter(recipients)
        if self.min_balance > 0:
            balances = self.env["site.message.template"]._site_balances(self.company_id, recipients)
            recipients = {
                partner: units
                for partner, units in recipients.items()
                if sum(balances[partner.id][0].values()) > self.min_balance
            }
        if self.overdue_days > 0 and recipients:
            overdue = (
                self.env["account.move.line"]
                .sudo()
                ._read_group(
                    [
                        ("company_id", "=", self.company_id.id),
                        ("partner_id", "in", [p.id for p in recipients]),
                        ("site_unit_id", "!=", False),
                        ("amount_residual", ">", 0),
                        ("date_maturity", "<=", today - timedelta(days=self.overdue_days)),
                        *SITE_RECEIVABLE,
                    ],
                    ["partner_id", "site_unit_id"],
                )
            )
            late = {(partner.id, unit.id) for partner, unit in overdue}
            recipients = {
                partner: units
                for partner, units in recipients.items()
                if any((partner.id, unit.id) in late for unit in units)
            }
        return recipients

    def _reading_window(self):
        return (self.reading_date_from, self.reading_date_to)

    @api.depends(
        "template_id",
        "building_ids",
        "audience",
        "min_balance",
        "overdue_days",
        "reading_date_from",
        "reading_date_to",
    )
    def _compute_preview(self):
        for wizard in self:
            if not wizard.template_id:
                wizard.recipient_count = wizard.skipped_count = 0
                wizard.cost_estimate = 0.0
                wizard.preview = False
                continue
            recipients = wizard._recipients()
            vals_list, skipped = self.env["site.message"]._site_prepare(
                wizard.template_id,
                recipients,
                wizard._document_ref(),
                wizard._reading_window(),
            )
            wizard.recipient_count = len(vals_list)
            wizard.skipped_count = len(recipients) - len(vals_list)
            wizard.cost_estimate = sum(vals["cost"] for vals in vals_list)
            names = dict((p.id, p.name) for p in recipients)
            wizard.preview = Markup("").join(
                Markup(
                    "<div class='mb-3'><strong>%s</strong> <span class='text-muted'>%s</span>"
                    "<pre class='mb-0' style='white-space: pre-wrap'>%s</pre></div>"
                )
                % (names[vals["partner_id"]], vals["destination"] or "", vals["body"])
                for vals in vals_list[:PREVIEW_COUNT]
            ) + Markup("").join(
                Markup("<div class='text-muted'>%s: %s</div>") % (partner.name, escape(reason))
                for partner, reason in list(skipped.items())[:PREVIEW_COUNT]
            )

    def action_send(self):
        """Queue the messages (one job per batch) and show them."""
        self.ensure_one()
        if not self.template_id.active:
            raise UserError(self.env._("The template is archived."))
        messages = self.env["site.message"]._site_queue(
            self.template_id, self._recipients(), self._document_ref(), self._reading_window()
        )
        self.message_ids |= messages
        action = self.env["ir.actions.act_window"]._for_xml_id("site_messaging.action_site_message")
        action["domain"] = [("id", "in", self.message_ids.ids)]
        action["context"] = {"create": False}
        return action
