import io
from datetime import datetime, timedelta

import openpyxl

from odoo.tests import tagged

from odoo.addons.site_dues.tests.xlsx import xlsx_report
from odoo.addons.site_residents.tests.common import SiteCase, site_user

from .common import HelpdeskSetup

OCTOBER = datetime(2025, 10, 6, 8, 0)
NOVEMBER = datetime(2025, 11, 3, 8, 0)


def hours_after(start, hours):
    return start + timedelta(hours=hours)


@tagged("post_install", "-at_install")
class TestPerformance(SiteCase, HelpdeskSetup):
    """Known tickets of two technicians and the helpdesk, a month apart, on a 24/7
    calendar (a fault is answered within 4 hours and resolved within 48)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.relate(cls.ali)
        cls.teams, cls.tech, cls.manager = cls.setup_helpdesk(cls.site)
        cls.tech2 = site_user(cls.env, "hd_tech_a2", "site_residents.group_site_engineer", cls.site)
        cls.teams["technical"].user_ids |= cls.tech2
        done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        in_progress = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        rows = [
            # (user, kind, stage, created, response h, resolution h, rating)
            (cls.tech, "fault", done, OCTOBER, 2, 10, 5),
            (cls.tech, "fault", done, OCTOBER, 4, 30, 3),
            (cls.tech2, "fault", done, NOVEMBER, 6, 60, None),  # both deadlines missed
            (cls.tech2, "fault", in_progress, NOVEMBER, 1, None, None),  # open past 48 h
            (cls.manager, "complaint", None, NOVEMBER, None, None, None),  # never answered
        ]
        cls.tickets = cls.env["helpdesk.ticket"]
        for user, kind, stage, created, response, resolution, rating in rows:
            ticket = cls.ticket(cls.unit, kind, partner=cls.ali, user_id=user.id)
            if stage:
                ticket.stage_id = stage
            ticket._site_set_history(
                created,
                hours_after(created, response) if response is not None else None,
                hours_after(created, resolution) if resolution is not None else None,
            )
            if rating:
                ticket._site_rate(cls.ali, rating)
            cls.tickets |= ticket
        cls.other_teams, cls.other_tech, _manager = cls.setup_helpdesk(cls.other_site, prefix="b")
        other_unit = cls.env["site.unit"].create({"code": "P-1", "company_id": cls.other_site.id})
        cls.other_ticket = cls.ticket(other_unit, "fault", user_id=cls.other_tech.id)

    def figures(self, groupby, domain=()):
        Performance = self.env["site.helpdesk.performance"]
        return {
            key: tuple(round(value, 2) if isinstance(value, float) else value for value in rest)
            for key, *rest in Performance._read_group(
                [("ticket_id", "in", self.tickets.ids), *domain],
                [groupby],
                [
                    "ticket_count:sum",
                    "closed_count:sum",
                    "response_hours:avg",
                    "resolution_hours:avg",
                    "breach_count:sum",
                    "rating:avg",
                ],
            )
        }

    def test_figures_per_person(self):
        figures = self.figures("user_id")
        # tickets, closed, mean hours to first response, to resolution, breaches, rating
        self.assertEqual(figures[self.tech], (2, 2, 3.0, 20.0, 0, 4.0))
        # (False: no ticket reached it)
        self.assertEqual(figures[self.tech2], (2, 1, 3.5, 60.0, 3, False))
        self.assertEqual(figures[self.manager], (1, 0, False, False, 2, False))

    def test_figures_per_team_and_month(self):
        by_team = self.figures("team_id")
        self.assertEqual(by_team[self.teams["technical"]], (4, 3, 3.25, 33.33, 3, 4.0))
        self.assertEqual(by_team[self.teams["helpdesk"]], (1, 0, False, False, 2, False))
        by_month = self.figures("date:month")
        self.assertEqual(
            sorted(by_month.values()),
            sorted([(2, 2, 3.0, 20.0, 0, 4.0), (3, 1, 3.5, 60.0, 5, False)]),
        )

    def test_breaches_are_those_of_the_deadlines(self):
        lines = self.tickets.ticket_sla_ids.filtered("expired")
        self.assertEqual(
            sorted((line.ticket_id.user_id.login, line.name) for line in lines),
            sorted(
                [
                    (self.tech2.login, "Fault: first response"),
                    (self.tech2.login, "Fault: resolution"),
                    (self.tech2.login, "Fault: resolution"),
                    (self.manager.login, "Complaint: first response"),
                    (self.manager.login, "Complaint: resolution"),
                ]
            ),
        )

    def test_staff_see_the_figures_of_their_sites_only(self):
        Performance = self.env["site.helpdesk.performance"]
        board = site_user(self.env, "hd_board_a", "site_residents.group_site_board", self.site)
        rows = Performance.with_user(board).search([])
        self.assertEqual(set(rows.company_id.ids), {self.site.id})
        self.assertNotIn(self.other_ticket, rows.ticket_id)
        self.assertTrue(Performance.search([("ticket_id", "=", self.other_ticket.id)]))

    def test_xlsx_has_the_same_figures(self):
        rows = self.env["site.helpdesk.performance"].search([("ticket_id", "in", self.tickets.ids)])
        _name, content = xlsx_report(
            self.env, "site_helpdesk.action_report_helpdesk_performance_xlsx", rows
        )
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(workbook.sheetnames, ["By Person", "By Team", "By Month"])
        by_person = list(workbook["By Person"].iter_rows(min_row=5, values_only=True))
        tech_row = next(row for row in by_person if row[0] == self.tech.name)
        self.assertEqual(tech_row, (self.tech.name, 2, 2, 3.0, 20.0, 0, 4.0))
        total = next(row for row in by_person if row[0] == "Total")
        self.assertEqual(total[1:4] + total[5:], (5, 3, 3.25, 5, 4.0))
        self.assertAlmostEqual(total[4], 100 / 3)
