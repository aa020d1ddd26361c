from datetime import timedelta

from odoo import api, models

from odoo.addons.queue_job.job import identity_exact
from odoo.addons.site_messaging.engine import delivery
from odoo.addons.site_residents.engine.dates import day_of_month, month_start


class SiteMessageAutomation(models.AbstractModel):
    _inherit = "site.message.automation"

    # --- expense notices --------------------------------------------------------

    @api.model
    def _site_expense_notices_later(self, allocations):
        """Queue a job sending the expense notices of the posted ``allocations`` of the
        sites that send them."""
        allocations = allocations.sudo().filtered(
            lambda a: a.state == "posted" and a.company_id.site_auto_expense_notice
        )
        for company, site_allocations in allocations.grouped("company_id").items():
            self.with_delay(
                identity_key=identity_exact,
                description=self.env._(
                    "%(site)s: expense notices of %(allocations)s",
                    site=company.name,
                    allocations=", ".join(site_allocations.mapped("name")),
                ),
            )._job_expense_notices(site_allocations)

    def _job_expense_notices(self, allocations):
        """Tell each person charged by ``allocations`` still posted, once per allocation:
        one message about their units charged."""
        allocations = allocations.sudo().exists().filtered(lambda a: a.state == "posted")
        messages = self.env["site.message"]
        for allocation in allocations:
            company = allocation.company_id
            if not company.site_auto_expense_notice:
                continue
            units_of = {}
            for line in allocation.move_ids.line_ids.filtered("site_unit_id"):
                units_of[line.partner_id] = (
                    units_of.get(line.partner_id, line.site_unit_id.browse()) | line.site_unit_id
                )
            ref = delivery.document_ref(allocation._name, allocation.id)
            messages |= self.sudo()._queue(
                company.site_auto_expense_notice_template_id,
                [(partner, units, ref) for partner, units in units_of.items()],
            )
        return f"{len(messages)} expense notices queued"

    # --- meter readings ---------------------------------------------------------

    @api.model
    def _site_reading_window_dates(self, company, day):
        """(first day, last day) of the site's reading window that ``day`` is in or
        last came after: this month's once it has opened, else last month's."""
        start, end = company._site_reading_window()
        month = month_start(day)
        if day < day_of_month(month, start):
            month = month_start(month - timedelta(days=1))
        return day_of_month(month, start), day_of_month(month, end)

    @api.model
    def _site_metered_units(self, company, missing_between=None):
        """The site's units with meters in service (or faulty); with ``missing_between``
        (first day, last day), only those with a meter not read in those days."""
        meters = (
            self.env["site.meter"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("placement", "=", "unit"),
                    ("unit_id", "!=", False),
                    ("state", "in", ("active", "faulty")),
                ]
            )
        )
        if missing_between:
            first, last = missing_between
            read = {
                meter.id
                for [meter] in self.env["site.meter.reading"]
                .sudo()
                ._read_group(
                    [
                        ("meter_id", "in", meters.ids),
                        ("date", ">=", first),
                        ("date", "<=", last),
                        ("state", "!=", "rejected"),
                    ],
                    ["meter_id"],
                )
            }
            meters = meters.filtered(lambda meter: meter.id not in read)
        return meters.unit_id

    @api.model
    def _site_people_of(self, units, day):
        """{partner: their units among ``units``}: the owners and tenants on ``day``."""
        people = {}
        for relation in (
            self.env["site.unit.relation"]
            .sudo()
            .search(
                [
                    ("unit_id", "in", units.ids),
                    ("role", "in", ("owner", "tenant")),
                    *self.env["site.unit.relation"]._domain_active_on(day),
                ]
            )
        ):
            people[relation.partner_id] = (
                people.get(relation.partner_id, relation.unit_id.browse()) | relation.unit_id
            )
        return people

    @api.model
    def _site_daily_messages(self, company, day):
        return super()._site_daily_messages(company, day) | self._site_reading_window_opening(
            company, day
        )

    @api.model
    def _site_reading_window_opening(self, company, day):
        """On the first day of the site's reading window, ask the owners and tenants of
        the units with meters for their readings, once per month."""
        first, last = self._site_reading_window_dates(company, day)
        if not company.site_auto_reading_window or day != first:
            return self.env["site.message"]
        people = self._site_people_of(self._site_metered_units(company), day)
        ref = f"{delivery.document_ref(company._name, company.id)}/reading-window/{first:%Y-%m}"
        return self._queue(
            company.site_auto_reading_window_template_id,
            [(partner, units, ref) for partner, units in people.items()],
            reading_window=(first, last),
        )
