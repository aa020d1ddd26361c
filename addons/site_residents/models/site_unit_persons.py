from odoo import fields, models


class SiteUnitPersons(models.Model):
    """How many people live in a unit from a date on, as declared to the management."""

    _name = "site.unit.persons"
    _description = "Persons Declaration"
    _order = "unit_id, date desc"
    _check_company_auto = True

    unit_id = fields.Many2one(
        "site.unit", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(
        related="unit_id.company_id", store=True, index=True, string="Site", precompute=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today, string="Valid From")
    persons = fields.Integer(required=True)
    declared_by_id = fields.Many2one("res.partner")
    note = fields.Char()

    _unit_date_uniq = models.Constraint(
        "UNIQUE (unit_id, date)", "A unit has one persons declaration per date."
    )
    _persons_positive = models.Constraint(
        "CHECK (persons >= 0)", "The number of persons cannot be negative."
    )
