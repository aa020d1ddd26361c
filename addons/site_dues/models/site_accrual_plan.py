from datetime import date
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.site_residents.engine import money
from odoo.addons.site_residents.engine.dates import month_start

from ..engine import allocation

ALLOCATION_KEYS = [
    ("equal", "Equal per Unit"),
    ("area_net", "Closed Area"),
    ("area_gross", "Gross Area"),
    ("area_heated", "Heated Area"),
    ("land_share", "Land Share"),
    ("persons", "Persons Living"),
    ("type_fixed", "Fixed Amount per Unit Type"),
    ("coefficient", "Custom Coefficient per Unit"),
]


class SiteAccrualPlan(models.Model):
    """How a budgeted amount becomes monthly charges on the site's units."""

    _name = "site.accrual.plan"
    _description = "Accrual Plan"
    _inherit = ["mail.thread", "site.company.mixin"]
    _order = "company_id, date_start desc, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    charge_type_id = fields.Many2one(
        "site.charge.type",
        required=True,
        check_company=True,
        domain="[('kind', '=', 'charge')]",
        tracking=True,
    )
    date_start = fields.Date(
        string="First Month", required=True, default=lambda self: month_start(date.today())
    )
    date_end = fields.Date(string="Last Month", required=True)
    amount_monthly = fields.Monetary(
        string="Monthly Amount",
        tracking=True,
        help="The amount split over the units each month, unless a month below says otherwise.",
    )
    month_ids = fields.One2many("site.accrual.plan.month", "plan_id", string="Months")
    allocation_key = fields.Selection(
        ALLOCATION_KEYS, required=True, default="land_share", tracking=True
    )
    rounding = fields.Selection(
        [("cent", "To the Cent"), ("unit", "To Whole Currency Units")],
        required=True,
        default="cent",
        help="Each unit's charge is rounded so; the remainder goes to the units with the "
        "largest fractions, so the charges add up to the planned amount exactly.",
    )
    building_ids = fields.Many2many(
        "site.building", string="Buildings", check_company=True, help="Empty: all buildings."
    )
    unit_type_ids = fields.Many2many(
        "site.unit.type", string="Unit Types", help="Empty: all unit types."
    )
    exempt_unit_ids = fields.Many2many(
        "site.unit",
        "site_accrual_plan_exempt_unit_rel",
        string="Exempt Units",
        check_company=True,
    )
    type_amount_ids = fields.One2many(
        "site.accrual.plan.type.amount", "plan_id", string="Amounts per Unit Type"
    )
    coefficient_ids = fields.One2many(
        "site.accrual.plan.coefficient", "plan_id", string="Coefficients per Unit"
    )
    run_ids = fields.One2many("site.accrual.run", "plan_id", string="Runs")
    run_count = fields.Integer(compute="_compute_run_count")
    active = fields.Boolean(default=True)
    site_accrual_error = fields.Text(related="company_id.site_accrual_error")
    site_accrual_error_date = fields.Datetime(related="company_id.site_accrual_error_date")

    _months_ordered = models.Constraint(
        "CHECK (date_end >= date_start)", "The last month cannot come before the first."
    )

    def _compute_run_count(self):
        counts = dict(
            self.env["site.accrual.run"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.run_count = counts.get(plan, 0)

    budget_project_id = fields.Many2one(
        "site.budget.project",
        check_company=True,
        ondelete="restrict",
        tracking=True,
        help="Charge the project's planned amounts: each month's amount is the project's "
        "planned total for that month (the monthly amount and the months below are ignored).",
    )

    @api.constrains("amount_monthly")
    def _check_amount_monthly(self):
        for plan in self:
            if plan.amount_monthly < 0:
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s: the monthly amount cannot be negative.", plan=plan.name
                    )
                )

    # --- what a month charges ------------------------------------------------

    def _covers(self, period):
        self.ensure_one()
        return month_start(self.date_start) <= period <= month_start(self.date_end)

    @api.constrains("budget_project_id", "allocation_key")
    def _check_budget_project(self):
        for plan in self:
            if plan.budget_project_id and plan.allocation_key == "type_fixed":
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s: amounts per unit type cannot come from a budget.",
                        plan=plan.name,
                    )
                )

    @api.onchange("budget_project_id")
    def _onchange_budget_project_id(self):
        project = self.budget_project_id
        if not project:
            return
        start, end = project._period()
        self.date_start = start
        self.date_end = month_start(end)
        code = "DUES" if project.kind == "dues" else "INVEST"
        charge_type = self.env["site.charge.type"].search(
            [("company_id", "=", project.company_id.id), ("code", "=", code)], limit=1
        )
        if charge_type:
            self.charge_type_id = charge_type

    def _amount_for(self, period):
        """The amount of the month of ``period``: the budget project's planned amount for
        it, the plan's own amount of that month, or the monthly amount."""
        self.ensure_one()
        project = self.budget_project_id
        if project:
            if project.budget_id.state == "draft":
                raise UserError(
                    self.env._(
                        "Plan %(plan)s charges budget %(budget)s, which is not approved yet.",
                        plan=self.name,
                        budget=project.budget_id.name,
                    )
                )
            return project._planned_for(period)
        month = self.month_ids.filtered(lambda m: month_start(m.month) == period)
        return Decimal(str(month[:1].amount if month else self.amount_monthly))

    def _units(self):
        self.ensure_one()
        domain = [("company_id", "=", self.company_id.id)]
        if self.building_ids:
            domain.append(("building_id", "in", self.building_ids.ids))
        if self.unit_type_ids:
            domain.append(("type_id", "in", self.unit_type_ids.ids))
        if self.exempt_unit_ids:
            domain.append(("id", "not in", self.exempt_unit_ids.ids))
        return self.env["site.unit"].search(domain)

    def _unit_amounts(self, period):
        """{unit: Decimal} this plan charges for ``period`` (a month's first day)."""
        self.ensure_one()
        units = self._units()
        if not units:
            raise UserError(
                self.env._("Plan %(plan)s selects no units of the site.", plan=self.name)
            )
        digits = 0 if self.rounding == "unit" else self.currency_id.decimal_places
        if self.allocation_key == "type_fixed":
            by_type = {line.type_id.id: line.amount for line in self.type_amount_ids}
            amounts = allocation.fixed(
                {unit.id: by_type.get(unit.type_id.id, 0.0) for unit in units}, digits
            )
        else:
            try:
                coefficients = {c.unit_id.id: c.coefficient for c in self.coefficient_ids}
                weights = units._allocation_weights(self.allocation_key, period, coefficients)
                amounts = money.split(self._amount_for(period), weights, digits)
            except money.AllocationError as error:
                raise UserError(
                    self.env._(
                        "Plan %(plan)s cannot split %(period)s: %(error)s",
                        plan=self.name,
                        period=self.env["site.display"]._month_label(period),
                        error=error,
                    )
                ) from error
        return {unit: amounts[unit.id] for unit in units if amounts[unit.id]}

    def action_view_runs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("site_dues.action_site_accrual_run")
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        return action
