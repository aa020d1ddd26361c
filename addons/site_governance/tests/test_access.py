from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import GovernanceCase


@tagged("post_install", "-at_install")
class TestAccess(GovernanceCase):
    """Two sites, a manager of each and a board member of site A, by the ORM."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vote_a = cls.opened(name="Site A vote")
        cls.vote_b = cls.opened(site=cls.site_b, name="Site B vote")
        cls.assembly_b = cls.env["site.assembly"].create(
            {"name": "Site B assembly", "company_id": cls.site_b.id, "date": "2026-01-10 18:00:00"}
        )

    def test_managers_see_their_sites_only(self):
        manager_a = self.as_user(self.manager_a)
        Resolution = manager_a["site.resolution"]
        self.assertEqual(
            Resolution.search([("name", "like", "Site ")]), self.vote_a.with_env(manager_a)
        )
        self.assertFalse(manager_a["site.vote"].search([("resolution_id", "=", self.vote_b.id)]))
        self.assertFalse(manager_a["site.assembly"].search([("id", "=", self.assembly_b.id)]))
        with self.assertRaises(AccessError):
            Resolution.browse(self.vote_b.id).read(["name"])
        with self.assertRaises(AccessError):
            manager_a["site.vote"].browse(self.vote_b.vote_ids.ids).read(["choice"])
        # nor cast or write there
        with self.assertRaises(AccessError):
            manager_a["site.vote"].browse(self.vote_b.vote_ids.id)._cast("for", source="paper")
        with self.assertRaises(AccessError):
            Resolution.create(
                {
                    "name": "Intruder",
                    "company_id": self.site_b.id,
                    "date_close": "2099-01-01 00:00:00",
                }
            )
        # in their own site they do all of it
        vote = manager_a["site.vote"].browse(self.vote_of(self.vote_a, self.a1).id)
        vote.with_context(site_choice="for").action_cast()
        self.assertEqual(vote.choice, "for")
        manager_a["site.resolution"].browse(self.vote_a.id).action_close()

    def test_board_members_read(self):
        board = self.as_user(self.board_a)
        self.cast(self.vote_a, {self.a1: "against"})
        resolution = board["site.resolution"].browse(self.vote_a.id)
        self.assertEqual(resolution.against_count, 1)
        self.assertEqual(
            board["site.vote"]
            .search([("resolution_id", "=", self.vote_a.id), ("voted", "=", True)])
            .choice,
            "against",
        )
        self.assertFalse(board["site.resolution"].search([("id", "=", self.vote_b.id)]))
        with self.assertRaises(AccessError):
            resolution.write({"date_close": "2099-01-01 00:00:00"})
        with self.assertRaises(AccessError):
            board["site.vote"].browse(self.vote_of(self.vote_a, self.a3).id)._cast(
                "for", source="paper"
            )
        with self.assertRaises(AccessError):
            board["site.resolution"].create(
                {"name": "Board", "company_id": self.site.id, "date_close": "2099-01-01 00:00:00"}
            )
        with self.assertRaises(AccessError):
            board["site.ballot.tally"].search([])
