from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from odoo.addons.queue_job.job import identity_exact
from odoo.addons.site_dues.models.account_move_line import SITE_RECEIVABLE

from ..engine import delivery


class SiteMessageAutomation(models.AbstractModel):
    """The sites' automatic messages. Each is switched on per site with its template
    (``res.company.site_auto_*``) and goes once per person and occasion: the occasion is
    the message's document reference (a charge notice; a notice and a reminder level; a
    month's reading window), so that a re-run, a retried job or a template changed
    since sends nothing twice.

    They are queued by jobs in channel root.site_messaging.auto: the daily cron queues
    one job per site (``_job_site_daily``), an accrual run one job for its notices
    (``_job_charge_notices``). Bridges add theirs: ``site_messaging_metering`` (expense
    notices, the reading window opening), ``site_messaging_portal`` (payment links,
    announcements).
    """

    _name = "site.message.automation"
    _description = "Automatic Site Messages"

    @api.model
    def _queue(self, template, items, reading_window=None, extra_values=None):
        """Queue ``template``'s messages to ``items`` [(partner, units, document
        reference)]: one per person and reference, none about a reference the person
        already had a message about. ``extra_values`` ({(partner id, reference): {merge
        field: text}}) fills the fields about each document. Returns the new messages."""
        Message = self.env["site.message"].sudo()
        if not items or not template.active:
            return Message
        sent = {
            (row["partner_id"], row["document_ref"])
            for row in Message.search_read(
                [
                    ("company_id", "=", template.company_id.id),
                    ("partner_id", "in", list({partner.id for partner, _u, _r in items})),
                    ("document_ref", "in", list({ref for _p, _u, ref in items})),
                ],
                ["partner_id", "document_ref"],
                load=None,
            )
        }
        # _site_queue takes one message per person: a person about several documents
        # (several units) is in as many rounds
        rounds = []
        for partner, units, ref in items:
            if (partner.id, ref) in sent:
                continue
            sent.add((partner.id, ref))
            todo = next((todo for todo in rounds if partner not in todo), None)
            if todo is None:
                todo = {}
                rounds.append(todo)
            todo[partner] = (units, ref)
        messages = Message
        for todo in rounds:
            messages |= Message._site_queue(
                template,
                {partner: units for partner, (units, _ref) in todo.items()},
                document_ref={partner: ref for partner, (_units, ref) in todo.items()},
                reading_window=reading_window,
                extra_values={
                    partner.id: extra_values[partner.id, ref]
                    for partner, (_units, ref) in todo.items()
                    if (partner.id, ref) in (extra_values or {})
                },
            )
        return messages

    @api.model
    def _occasion(self, notice, unit, due_date, what):
        """The document reference of a reminder ``what`` about a debt: its charge
        notice's, or for a charge on no notice, its unit's and due date's."""
        if notice:
            base = delivery.document_ref(notice._name, notice.id)
        else:
            base = f"{delivery.document_ref(unit._name, unit.id)}@{due_date}"
        return f"{base}/{what}"

    # --- charge notices ---------------------------------------------------------

    @api.model
    def _site_charge_notices_later(self, runs):
        """Queue a job sending the charge notices of the posted accrual ``runs`` of the
        sites that send them."""
        runs = runs.sudo().filtered(
            lambda run: run.state == "posted" and run.company_id.site_auto_charge_notice
        )
        for company, site_runs in runs.grouped("company_id").items():
            self.with_delay(
                identity_key=identity_exact,
                description=self.env._(
                    "%(site)s: charge notices of %(runs)s",
                    site=company.name,
                    runs=", ".join(site_runs.mapped("name")),
                ),
            )._job_charge_notices(site_runs)

    def _job_charge_notices(self, runs):
        """Send each charge notice of ``runs`` still posted to its person, once."""
        runs = runs.sudo().exists().filtered(lambda run: run.state == "posted")
        notices = runs.move_ids.line_ids.site_notice_id
        messages = self.sudo()._site_charge_notices(notices)
        return f"{len(messages)} charge notices queued"

    @api.model
    def _site_charge_notices(self, notices):
        messages = self.env["site.message"]
        for company, site_notices in notices.grouped("company_id").items():
            if company.site_auto_charge_notice:
                messages |= self._queue(
                    company.site_auto_charge_notice_template_id,
                    [
                        (
                            notice.partner_id,
                            notice.unit_id,
                            delivery.document_ref(notice._name, notice.id),
                        )
                        for notice in site_notices
                    ],
                )
        return messages

    # --- daily messages ---------------------------------------------------------

    @api.model
    def _cron_daily(self):
        """Queue one job per site sending its automatic messages of the day (in the
        site's time zone): a site's failure never stops the others."""
        Company = self.env["res.company"]
        companies = Company.search(
            Domain("is_site", "=", True)
            & Domain.OR(Domain(switch, "=", True) for switch in Company._site_daily_switches())
        )
        for company in companies:
            day = fields.Date.context_today(self.with_context(tz=company._site_zone()))
            self.with_company(company).with_delay(
                identity_key=identity_exact,
                description=self.env._(
                    "%(site)s: automatic messages of %(day)s", site=company.name, day=day
                ),
            )._job_site_daily(company, day)

    def _job_site_daily(self, company, day):
        """The site's automatic messages of ``day``; run again, it sends nothing twice."""
        messages = self.sudo()._site_daily_messages(company.sudo(), day)
        return f"{len(messages)} messages queued"

    @api.model
    def _site_daily_messages(self, company, day):
        """Queue the site's automatic messages of ``day``; bridges add theirs."""
        return self._site_due_reminders(company, day) | self._site_overdue_reminders(company, day)

    @api.model
    def _site_open_debts(self, company, domain, aggregates=()):
        """The site's open charges matching ``domain`` by person, unit and charge notice."""
        return (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("site_unit_id", "!=", False),
                    ("amount_residual", ">", 0),
                    *SITE_RECEIVABLE,
                    *domain,
                ],
                ["partner_id", "site_unit_id", "site_notice_id"],
                list(aggregates),
            )
        )

    @api.model
    def _site_due_reminders(self, company, day):
        """A reminder to each person whose charges fall due the site's number of days
        after ``day`` and are not paid, once per charge notice."""
        if not company.site_auto_due_reminder:
            return self.env["site.message"]
        due = day + timedelta(days=company.site_auto_due_reminder_days)
        items = [
            (partner, unit, self._occasion(notice, unit, due, "due"))
            for partner, unit, notice in self._site_open_debts(
                company, [("date_maturity", "=", due)]
            )
        ]
        return self._queue(company.site_auto_due_reminder_template_id, items)

    @api.model
    def _site_overdue_reminders(self, company, day):
        """A reminder to each person owing on a unit past the first level: the highest
        level their oldest open charge has reached on ``day``, once per level and charge
        notice of that charge. A debt that reaches a level after a missed day, or when
        the reminders are switched on, gets that level's reminder only."""
        levels = company.site_auto_overdue_level_ids.sorted("days")
        if not company.site_auto_overdue or not levels:
            return self.env["site.message"]
        oldest = {}  # (partner, unit): (oldest due date, its notice)
        for partner, unit, notice, maturity in self._site_open_debts(
            company,
            [("date_maturity", "<=", day - timedelta(days=levels[0].days))],
            ["date_maturity:min"],
        ):
            if (partner, unit) not in oldest or maturity < oldest[(partner, unit)][0]:
                oldest[(partner, unit)] = (maturity, notice)
        by_level = {level: [] for level in levels}
        for (partner, unit), (maturity, notice) in oldest.items():
            overdue = (day - maturity).days
            level = levels.filtered(lambda lvl, overdue=overdue: lvl.days <= overdue)[-1]
            by_level[level].append(
                (partner, unit, self._occasion(notice, unit, maturity, f"overdue-{level.days}"))
            )
        messages = self.env["site.message"]
        for level, items in by_level.items():
            messages |= self._queue(level.template_id, items)
        return messages
