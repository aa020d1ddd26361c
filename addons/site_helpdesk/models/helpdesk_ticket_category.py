from odoo import fields, models

SITE_KINDS = [
    ("fault", "Fault"),
    ("complaint", "Complaint"),
    ("request", "Request"),
    ("suggestion", "Suggestion"),
    ("paid_service", "Paid Service"),
]


class HelpdeskTicketCategory(models.Model):
    _inherit = "helpdesk.ticket.category"

    site_kind = fields.Selection(
        SITE_KINDS,
        string="Site Kind",
        index=True,
        help="What the suite does with the category's tickets: a paid service is quoted "
        "and charged to the unit once the resident accepts; residents choose among the "
        "categories that have a kind.",
    )
