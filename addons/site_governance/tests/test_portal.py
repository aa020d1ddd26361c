from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.site_portal.tests.common import PortalCase

FORM = r'<form[^>]*o_site_vote_form[^>]*data-unit="%s"'


@tagged("post_install", "-at_install")
class TestPortalVotes(PortalCase):
    """PortalCase's residents: Ali owns A-1 of site A (Berk A-2, Cem A-3), Emre owns B-1
    of site B. Each votes for their own unit only; anything else is not found."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        now = fields.Datetime.now()
        Resolution = cls.env["site.resolution"]
        window = {"date_open": now - timedelta(hours=1), "date_close": now + timedelta(days=1)}
        cls.budget = Resolution.create(
            {
                "name": "Budget 2027",
                "company_id": cls.site.id,
                "weight_basis": "land_share",
                **window,
            }
        )
        cls.auditor = Resolution.create(
            {"name": "Auditor Election", "company_id": cls.site.id, "ballot": "secret", **window}
        )
        cls.other_site = Resolution.create(
            {"name": "Roof of site B", "company_id": cls.site_b.id, **window}
        )
        (cls.budget | cls.auditor | cls.other_site).action_open()

    def vote_url(self, resolution, unit):
        return f"/my/site/votes/{resolution.id}/units/{unit.id}"

    def post_vote(self, resolution, unit, choice, csrf=True):
        data = {"choice": choice}
        if csrf:
            data["csrf_token"] = self.csrf_token()
        return self.url_open(self.vote_url(resolution, unit), data=data, allow_redirects=False)

    def vote(self, resolution, unit):
        return resolution.vote_ids.filtered(lambda v: v.unit_id == unit)

    def test_a_resident_votes_for_their_unit(self):
        self.login(self.user_a)
        home = self.url_open("/my")
        self.assertIn("o_site_vote_waiting", home.text)
        listing = self.url_open("/my/site/votes")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("Budget 2027", listing.text)
        self.assertNotIn("Roof of site B", listing.text)
        page = self.url_open(f"/my/site/votes/{self.budget.id}")
        self.assertRegex(page.text, FORM % "A-1")
        self.assertNotIn('data-unit="A-2"', page.text)
        response = self.post_vote(self.budget, self.u1, "for")
        self.assertEqual(response.status_code, 303)
        vote = self.vote(self.budget, self.u1)
        self.assertEqual((vote.choice, vote.source, vote.voter_id), ("for", "portal", self.ali))
        self.assertEqual(vote.cast_by_id, self.user_a)
        page = self.url_open(response.headers["Location"])
        self.assertRegex(page.text, r'<div[^>]*o_site_vote_cast[^>]*data-unit="A-1"')
        # a second vote is refused where the site does not allow changes ...
        page = self.post_vote(self.budget, self.u1, "against")
        self.assertIn("does not allow changing", page.text)
        self.assertEqual(vote.choice, "for")
        # ... and taken where it does, until the vote closes
        self.site.site_vote_change_allowed = True
        self.assertEqual(self.post_vote(self.budget, self.u1, "against").status_code, 303)
        self.assertEqual(vote.choice, "against")
        self.budget.action_close()
        self.assertIn("is not open", self.post_vote(self.budget, self.u1, "for").text)
        self.assertEqual(vote.choice, "against")

    def test_anything_else_is_not_found(self):
        self.login(self.user_a)
        # another unit of the same vote, a vote of another site, one that does not exist
        self.assertEqual(self.post_vote(self.budget, self.u2, "for").status_code, 404)
        self.assertEqual(self.post_vote(self.other_site, self.unit_b, "for").status_code, 404)
        self.assertEqual(self.url_open(f"/my/site/votes/{self.other_site.id}").status_code, 404)
        self.assertEqual(self.url_open("/my/site/votes/999999").status_code, 404)
        self.assertEqual(
            self.url_open(f"/my/site/votes/{self.budget.id}/protocol").status_code,
            404,
            "no protocol before closing",
        )
        self.assertFalse(self.budget.vote_ids.filtered("voted"))
        self.login(self.user_b)
        self.assertEqual(self.url_open(f"/my/site/votes/{self.budget.id}").status_code, 404)
        self.assertEqual(self.post_vote(self.budget, self.u1, "for").status_code, 404)
        self.assertEqual(self.post_vote(self.other_site, self.unit_b, "for").status_code, 303)
        # without the CSRF token, nothing is cast
        self.login(self.user_a)
        self.assertEqual(self.post_vote(self.budget, self.u1, "for", csrf=False).status_code, 400)
        self.assertFalse(self.vote(self.budget, self.u1).voted)

    def test_secret_ballot_on_the_portal(self):
        self.login(self.user_a)
        page = self.url_open(f"/my/site/votes/{self.auditor.id}")
        self.assertIn("cannot be changed once cast", page.text)
        self.assertEqual(self.post_vote(self.auditor, self.u1, "against").status_code, 303)
        vote = self.vote(self.auditor, self.u1)
        self.assertTrue(vote.voted)
        self.assertFalse(vote.choice)
        page = self.url_open(f"/my/site/votes/{self.auditor.id}")
        self.assertIn('data-choice="secret"', page.text)
        self.assertNotIn("You voted", page.text)
        self.assertNotRegex(page.text, FORM % "A-1")
        self.site.site_vote_change_allowed = True
        self.assertIn("secret vote is final", self.post_vote(self.auditor, self.u1, "for").text)

    def test_results_and_protocol_after_closing(self):
        self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
        self.login(self.user_a)
        self.post_vote(self.budget, self.u1, "for")
        self.vote(self.budget, self.u3)._cast("against", source="paper")
        self.budget.action_close()
        page = self.url_open(f"/my/site/votes/{self.budget.id}")
        self.assertIn("o_site_vote_results", page.text)
        self.assertIn('data-passed="0"', page.text, "70/240 for, 90/240 against")
        protocol = self.url_open(f"/my/site/votes/{self.budget.id}/protocol")
        self.assertEqual(protocol.status_code, 200)
        self.assertEqual(protocol.headers["Content-Type"], "application/pdf")
        self.login(self.user_b)
        self.assertEqual(
            self.url_open(f"/my/site/votes/{self.budget.id}/protocol").status_code, 404
        )
