from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.site_messaging.engine import delivery

# How each way of delivering a notice is sent; handed over in person is not.
TEMPLATE_OF_METHOD = {
    "email": "notice_email_template_id",
    "letter": "notice_letter_template_id",
    "registered": "notice_letter_template_id",
}


class SiteAssembly(models.Model):
    _inherit = "site.assembly"

    notice_email_template_id = fields.Many2one(
        "site.message.template",
        string="Notice by E-mail",
        check_company=True,
        domain="[('company_id', '=', company_id), ('channel', '=', 'email')]",
        help="The e-mail sent to the owners noticed by e-mail; it says the date, place and "
        "agenda of the assembly.",
    )
    notice_letter_template_id = fields.Many2one(
        "site.message.template",
        string="Notice by Letter",
        check_company=True,
        domain="[('company_id', '=', company_id), ('channel', '=', 'letter')]",
        help="The letter printed for the owners noticed by letter or registered letter.",
    )

    def action_send_notices(self):
        """Queue each owner's notice not sent yet through the site's messaging: e-mails,
        and letters (registered ones too: their number is entered once posted). One
        message per owner, template and assembly: sending again sends nothing twice.
        The notice is dated and keeps its message; people who cannot be reached that
        way (no address, opted out) stay unsent, named in the chatter."""
        Message = self.env["site.message"]
        today = fields.Date.context_today(self)
        for assembly in self:
            notices = assembly.notice_ids.filtered(
                lambda n: not n.sent_on and n.method in TEMPLATE_OF_METHOD
            )
            by_template = {}
            for notice in notices:
                field = TEMPLATE_OF_METHOD[notice.method]
                template = assembly[field]
                if not template:
                    raise UserError(
                        self.env._(
                            "%(assembly)s: choose the template of the notices by %(method)s "
                            "(%(field)s).",
                            assembly=assembly.name,
                            method=dict(notice._fields["method"]._description_selection(self.env))[
                                notice.method
                            ],
                            field=assembly._fields[field]._description_string(self.env),
                        )
                    )
                by_template.setdefault(template, notice.browse())
                by_template[template] |= notice
            reference = delivery.document_ref(assembly._name, assembly.id)
            sent = notices.browse()
            for template, template_notices in by_template.items():
                messages = Message._site_queue(
                    template,
                    {notice.partner_id: notice.unit_ids for notice in template_notices},
                    document_ref=reference,
                )
                message_of = {message.partner_id: message for message in messages}
                for notice in template_notices:
                    if notice.partner_id in message_of:
                        notice.write(
                            {"message_id": message_of[notice.partner_id].id, "sent_on": today}
                        )
                        sent |= notice
            unsent = notices - sent
            body = self.env._("%(count)s notices queued.", count=len(sent))
            if unsent:
                body += " " + self.env._(
                    "Not sent (no address, opted out, or sent before): %(names)s.",
                    names=", ".join(unsent.partner_id.mapped("name")),
                )
            assembly.message_post(body=Markup("<p>%s</p>") % body)
        return True
