from odoo import models


class MailMail(models.Model):
    """An e-mail of the archive that the mail server refused fails its message."""

    _inherit = "mail.mail"

    def _postprocess_sent_message(
        self, success_pids, success_emails, failure_reason=False, failure_type=None
    ):
        if failure_type:
            messages = self.env["site.message"].sudo().search([("mail_id", "in", self.ids)])
            messages._fail(failure_reason or failure_type)
        return super()._postprocess_sent_message(
            success_pids, success_emails, failure_reason=failure_reason, failure_type=failure_type
        )
