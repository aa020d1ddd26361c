import psycopg2

from odoo import fields, models


class SiteAnnouncementRead(models.Model):
    """A person's first reading of an announcement (on the portal, or a board member's
    in the backend)."""

    _name = "site.announcement.read"
    _description = "Announcement Read Receipt"
    _order = "read_datetime desc, id desc"
    _rec_name = "partner_id"

    announcement_id = fields.Many2one(
        "site.announcement", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(
        related="announcement_id.company_id", store=True, index=True, string="Site"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Person", required=True, index=True, ondelete="cascade", readonly=True
    )
    user_id = fields.Many2one("res.users", string="User", ondelete="set null", readonly=True)
    read_datetime = fields.Datetime(
        string="First Read", required=True, default=fields.Datetime.now, readonly=True
    )

    _announcement_partner_uniq = models.Constraint(
        "UNIQUE (announcement_id, partner_id)", "A person reads an announcement once."
    )

    def _create_once(self, values, domain):
        """Create the receipt, or return the one a concurrent request has just made."""
        try:
            with self.env.cr.savepoint():
                return self.create(values)
        except psycopg2.errors.UniqueViolation:
            return self.search(domain, limit=1)
