from collections import defaultdict

from odoo import fields, models


class SiteLegalNoticeBatch(models.Model):
    """A notice batch also sends its notices with the chosen message templates."""

    _inherit = "site.legal.notice.batch"

    message_template_ids = fields.Many2many(
        "site.message.template",
        string="Send With",
        check_company=True,
        domain="[('company_id', '=', company_id)]",
        help="Message templates (letter, e-mail, SMS) each debtor is sent their notice with "
        "when the notices are logged. Each notice is sent once per template.",
    )

    def _notices_logged(self, notices):
        super()._notices_logged(notices)
        self._send_notices(notices)

    def _send_notices(self, notices):
        """Queue each template's message about each notice; site_messaging's archive
        keeps one message per person, template and notice, so sending again queues
        nothing twice. Returns the queued messages."""
        self.ensure_one()
        Message = self.env["site.message"]
        by_partner = defaultdict(lambda: self.env["site.legal.notice"])
        for notice in notices:
            by_partner[notice.partner_id] |= notice
        # one message per debtor and template, about their first notice and all its units
        recipients = {partner: found.unit_id for partner, found in by_partner.items()}
        refs = {partner: found[:1]._message_ref() for partner, found in by_partner.items()}
        messages = Message
        for template in self.message_template_ids:
            messages |= Message._site_queue(template, recipients, document_ref=refs)
        return messages

    def action_send_messages(self):
        """Send the logged notices again with the templates (what was sent is skipped)."""
        self.ensure_one()
        messages = self._send_notices(self.notice_ids)
        return self.env["site.display"]._notification(
            self.env._("%(count)s messages queued.", count=len(messages))
        )
