from odoo import models


class SiteAnnouncement(models.Model):
    _inherit = "site.announcement"

    def _site_published(self):
        """Announcements going live queue the job that tells their audience."""
        announcements = super()._site_published()
        self.env["site.message.automation"]._site_announcements_later(announcements)
        return announcements
