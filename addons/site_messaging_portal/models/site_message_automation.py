from odoo import api, fields, models

from odoo.addons.queue_job.job import identity_exact
from odoo.addons.site_messaging.engine import delivery


class SiteMessageAutomation(models.AbstractModel):
    _inherit = "site.message.automation"

    @api.model
    def _site_announcements_later(self, announcements):
        """Queue a job telling the audience of ``announcements`` of the sites that send
        announcement messages."""
        announcements = announcements.sudo().filtered("company_id.site_auto_announcement")
        for company, site_announcements in announcements.grouped("company_id").items():
            self.with_delay(
                identity_key=identity_exact,
                description=self.env._(
                    "%(site)s: announcement %(title)s",
                    site=company.name,
                    title=", ".join(site_announcements.mapped("title")),
                ),
            )._job_announcements(site_announcements)

    def _job_announcements(self, announcements):
        """Send each announcement still live to the people of its audience today, once;
        their units of the site are the message's units."""
        announcements = (
            announcements.sudo().exists().filtered(lambda a: a.active and a.state == "published")
        )
        recipients = announcements._site_recipients_by_announcement()
        partners = self.env["res.partner"].browse(
            {partner.id for people in recipients.values() for partner in people}
        )
        units_of = {}
        for relation in (
            self.env["site.unit.relation"]
            .sudo()
            .search(
                [
                    ("company_id", "in", announcements.company_id.ids),
                    ("partner_id", "in", partners.ids),
                    ("unit_id.active", "=", True),
                    *self.env["site.unit.relation"]._domain_active_on(
                        fields.Date.context_today(self)
                    ),
                ]
            )
        ):
            key = (relation.company_id, relation.partner_id)
            units_of[key] = units_of.get(key, relation.unit_id.browse()) | relation.unit_id
        no_unit = self.env["site.unit"]
        messages = self.env["site.message"]
        for announcement in announcements:
            company = announcement.company_id
            if not company.site_auto_announcement:
                continue
            ref = delivery.document_ref(announcement._name, announcement.id)
            messages |= self.sudo()._queue(
                company.site_auto_announcement_template_id,
                [
                    (partner, units_of.get((company, partner), no_unit), ref)
                    for partner in recipients[announcement.id]
                ],
            )
        return f"{len(messages)} announcement messages queued"
