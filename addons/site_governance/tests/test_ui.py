from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestVoteTour(HttpCase):
    """A demo owner in Chromium: the home page says a vote awaits her, she votes for on
    the budget for A-3 and sees it recorded."""

    def test_resident_votes(self):
        budget = self.env.ref("site_governance.resolution_tr_budget", raise_if_not_found=False)
        if not budget:
            self.skipTest("needs the demo data")
        unit = self.env.ref("site_residents.unit_tr_a3")
        vote = budget.vote_ids.filtered(lambda v: v.unit_id == unit)
        self.assertFalse(vote.voted)
        self.start_tour("/my", "site_governance_vote_tour", login="resident_owner")
        self.assertEqual((vote.choice, vote.source), ("for", "portal"))
        self.assertEqual(vote.voter_id, self.env.ref("site_residents.partner_tr_ayse_yilmaz"))
