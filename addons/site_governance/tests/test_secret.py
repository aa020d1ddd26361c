from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import GovernanceCase

# What could tie a row to a person, a user or a moment.
LINKING = {"unit_id", "partner_id", "voter_id", "user_id", "create_uid", "write_uid"}
TIMES = {"create_date", "write_date"}


@tagged("post_install", "-at_install")
class TestSecretBallot(GovernanceCase):
    """Ali (A-1) votes for and Deniz (A-3) against, secretly. Nothing the application
    writes or answers ties either choice to either of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.secret = cls.opened(ballot="secret", weight_basis="land_share")
        cls.messages_before = cls.env["mail.message"].search_count([])
        cls.vote_of(cls.secret, cls.a1)._cast("for", source="portal", voter=cls.ali)
        cls.vote_of(cls.secret, cls.a3)._cast("against", source="portal", voter=cls.deniz)

    def columns(self, table):
        self.env.cr.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s", [table]
        )
        return {name for (name,) in self.env.cr.fetchall()}

    def test_the_roll_says_who_voted_not_how(self):
        voted = self.secret.vote_ids.filtered("voted")
        self.assertEqual(voted.unit_id, self.a1 | self.a3)
        self.assertEqual(voted.mapped("choice"), [False, False])
        self.env.cr.execute(
            "SELECT count(*) FROM site_vote WHERE resolution_id = %s AND choice IS NOT NULL",
            [self.secret.id],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        # who has not voted still works
        self.assertEqual(self.secret.not_voted_count, 1)
        # and a unit votes once: a secret vote is final
        with self.assertRaisesRegex(UserError, "secret vote is final"):
            self.vote_of(self.secret, self.a1)._cast("against", source="portal", voter=self.ali)
        self.assertEqual(self.vote_of(self.secret, self.a1).source, "portal")

    def test_no_orm_field_reaches_a_ballot_from_a_unit_or_user(self):
        Tally = self.env["site.ballot.tally"]
        relational = {
            name: field.comodel_name for name, field in Tally._fields.items() if field.relational
        }
        self.assertEqual(
            relational, {"resolution_id": "site.resolution", "company_id": "res.company"}
        )
        self.assertFalse((LINKING | TIMES) & set(Tally._fields))
        # nothing points at the tally: no field anywhere, no foreign key
        self.assertFalse(
            self.env["ir.model.fields"].search_count([("relation", "=", "site.ballot.tally")])
        )
        self.env.cr.execute(
            """
            SELECT conrelid::regclass::text FROM pg_constraint
             WHERE contype = 'f' AND confrelid = 'site_ballot_tally'::regclass
            """
        )
        self.assertEqual(self.env.cr.fetchall(), [])
        # the vote row has no field holding or pointing at a secret choice
        self.assertEqual(self.env["site.vote"]._fields["choice"].type, "selection")
        self.assertFalse(
            [
                name
                for name, field in self.env["site.vote"]._fields.items()
                if field.relational and field.comodel_name == "site.ballot.tally"
            ]
        )

    def test_no_table_row_links_a_ballot(self):
        self.assertEqual(
            self.columns("site_ballot_tally"),
            {"id", "resolution_id", "company_id", "choice", "ballots", "weight", "area"},
        )
        self.env.cr.execute(
            """
            SELECT choice, ballots, weight, area, xmin::text FROM site_ballot_tally
             WHERE resolution_id = %s ORDER BY choice
            """,
            [self.secret.id],
        )
        rows = self.env.cr.fetchall()
        self.assertEqual(
            [row[:4] for row in rows],
            [("abstain", 0, 0, 0), ("against", 1, 80, 400), ("for", 1, 10, 50)],
        )
        # every ballot rewrote the three rows: their row versions are the same, so the
        # database does not tell which choice the last ballot went to
        self.assertEqual(len({row[4] for row in rows}), 1)
        # no other table the application wrote holds the choice: the roll's rows have none,
        # the votes wrote no message, no tracking, no log
        self.assertEqual(self.env["mail.message"].search_count([]), self.messages_before)
        self.assertFalse(
            self.env["mail.tracking.value"].search_count(
                [("field_id.model", "in", ("site.vote", "site.ballot.tally"))]
            )
        )

    def test_no_read_group_or_export_gives_a_choice(self):
        Vote = self.env["site.vote"]
        groups = Vote.formatted_read_group(
            [("resolution_id", "=", self.secret.id), ("voted", "=", True)],
            ["choice", "unit_id"],
            ["__count"],
        )
        self.assertEqual(len(groups), 2)
        self.assertEqual({group["choice"] for group in groups}, {False})
        exported = self.secret.vote_ids.filtered("voted").export_data(
            ["unit_id/code", "voter_id/name", "choice", "voted"]
        )["datas"]
        self.assertEqual(sorted(row[2] for row in exported), ["", ""])
        # administrators have no rights on the tally: the ORM refuses, export included
        admin = self.env(user=self.env.ref("base.user_admin"))
        self.assertFalse(admin.su)
        with self.assertRaises(AccessError):
            admin["site.ballot.tally"].search([])
        with self.assertRaises(AccessError):
            admin["site.ballot.tally"].formatted_read_group([], ["choice"], ["ballots:sum"])
        with self.assertRaises(AccessError):
            admin["site.ballot.tally"].browse(1).export_data(["choice", "ballots"])

    def test_the_tally_shows_once_closed(self):
        self.assertFalse(self.secret.results_visible)
        self.assertEqual(
            (self.secret.for_count, self.secret.against_count, self.secret.passing),
            (0, 0, False),
        )
        self.assertIn("o_site_results_hidden", self.secret.results_html)
        self.assertEqual((self.secret.voted_count, self.secret.turnout_weight), (2, 90.0))
        with self.assertRaisesRegex(UserError, "once it is closed"):
            self.env["site.ballot.tally"].sudo()._totals(self.secret)
        self.secret.action_close()
        self.assertEqual(
            (self.secret.for_count, self.secret.against_count, self.secret.abstain_count),
            (1, 1, 0),
        )
        # 10/100 for, 80/100 against: rejected, and by area too
        self.assertEqual(self.secret.outcome, "rejected")
        self.assertAlmostEqual(self.secret.for_percent, 11.11)
        self.assertFalse(self.secret.area_passing)

    def test_a_tally_that_does_not_match_the_roll_does_not_close(self):
        self.env.cr.execute(
            "UPDATE site_ballot_tally SET ballots = ballots + 1 "
            "WHERE resolution_id = %s AND choice = 'for'",
            [self.secret.id],
        )
        with self.assertRaisesRegex(UserError, "3 ballots for 2 units"):
            self.secret.action_close()
