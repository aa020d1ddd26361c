from odoo import models

from odoo.addons.site_messaging.engine import delivery


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def write(self, vals):
        result = super().write(vals)
        if vals.get("stage_id"):
            self._site_notify_stage()
        return result

    def _site_notify_stage(self):
        """Queue the reporter's message about each ticket's new status, where its site
        sends them: once per ticket and status (``helpdesk.ticket,ID:STAGE``), so a status
        left and taken again is not told twice."""
        tickets = self.sudo().filtered(
            lambda t: t.company_id.site_auto_helpdesk and t.partner_id and t.stage_id
        )
        Automation = self.env["site.message.automation"].sudo()
        for company, site_tickets in tickets.grouped("company_id").items():
            items = []
            extra_values = {}
            for ticket in site_tickets:
                ref = f"{delivery.document_ref(ticket._name, ticket.id)}:{ticket.stage_id.id}"
                items.append((ticket.partner_id, ticket.site_unit_id, ref))
                # the ticket's status in the reporter's language
                in_lang = ticket.with_context(lang=ticket.partner_id.lang or "en_US")
                extra_values[ticket.partner_id.id, ref] = {
                    "document": f"{ticket.number} {ticket.name}",
                    "status": in_lang.stage_id.name,
                }
            Automation._queue(
                company.site_auto_helpdesk_template_id, items, extra_values=extra_values
            )
