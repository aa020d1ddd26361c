from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import GovernanceCase


@tagged("post_install", "-at_install")
class TestCounting(GovernanceCase):
    """Weights, majorities and quorums on known shares: A-1 and A-2 weigh 10/100 and
    50 m² each, A-3 80/100 and 400 m²."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a2.site_voter_id = cls.berk

    def test_roll_freezes_each_units_weight(self):
        by_share = self.opened(weight_basis="land_share")
        self.assertEqual(by_share.land_share_scale, 100)
        self.assertEqual(
            {vote.unit_id.code: vote.weight for vote in by_share.vote_ids},
            {"A-1": 10.0, "A-2": 10.0, "A-3": 80.0},
        )
        self.assertEqual(self.vote_of(by_share, self.a3).weight_shown, "80/100")
        self.assertEqual(self.vote_of(by_share, self.a3).area, 400.0)
        self.assertEqual(by_share.vote_ids.unit_id.company_id, self.site, "site A's units only")
        by_area = self.opened(weight_basis="area")
        self.assertEqual(sorted(by_area.vote_ids.mapped("weight")), [50.0, 50.0, 400.0])
        per_unit = self.opened(weight_basis="unit")
        self.assertEqual(per_unit.vote_ids.mapped("weight"), [1.0, 1.0, 1.0])
        # a unit's share changed while the vote runs does not change its weight
        self.a3.land_share_numerator = 70
        self.a1.land_share_numerator = 20
        by_share.invalidate_recordset()
        self.assertEqual(self.vote_of(by_share, self.a3).weight, 80.0)
        # who votes for each unit is on the roll: A-2's named co-owner
        self.assertEqual(self.vote_of(by_share, self.a2).voter_id, self.berk)

    def test_passes_by_count_but_fails_by_share(self):
        choices = {self.a1: "for", self.a2: "for", self.a3: "against"}
        per_unit = self.opened(weight_basis="unit")
        by_share = self.opened(weight_basis="land_share")
        for resolution in per_unit | by_share:
            self.cast(resolution, choices)
        self.assertTrue(per_unit.passing)
        self.assertFalse(by_share.passing)
        self.assertAlmostEqual(by_share.for_percent, 20.0)
        # the same votes recounted by area: 100 m² for, 400 against
        self.assertFalse(by_share.area_passing)
        self.assertTrue(per_unit.results_visible)
        (per_unit | by_share).action_close()
        self.assertEqual(per_unit.outcome, "passed")
        self.assertEqual(by_share.outcome, "rejected")

    def test_passes_by_share_but_fails_by_count(self):
        choices = {self.a1: "against", self.a2: "against", self.a3: "for"}
        by_share = self.opened(weight_basis="land_share")
        both = self.opened(weight_basis="land_share", by_count_too=True)
        by_area = self.opened(weight_basis="area")
        for resolution in by_share | both | by_area:
            self.cast(resolution, choices)
        self.assertTrue(by_share.passing)
        self.assertAlmostEqual(by_share.for_percent, 80.0)
        self.assertTrue(by_area.passing)
        # a law asking for the majority by number of units too refuses it
        self.assertFalse(both.passing)
        (by_share | both).action_close()
        self.assertEqual((by_share.outcome, both.outcome), ("passed", "rejected"))

    def test_quorum_of_the_roll(self):
        quorum = {"quorum": "simple", "weight_basis": "land_share"}
        by_both = self.opened(quorum_by="both", **quorum)
        by_weight = self.opened(quorum_by="weight", **quorum)
        for resolution in by_both | by_weight:
            self.cast(resolution, {self.a3: "for"})  # 1 unit of 3, 80 % of the share
        self.assertFalse(by_both.quorum_met)
        self.assertTrue(by_weight.quorum_met)
        self.assertAlmostEqual(by_both.turnout_count, 33.33)
        self.assertAlmostEqual(by_both.turnout_weight, 80.0)
        (by_both | by_weight).action_close()
        self.assertEqual((by_both.outcome, by_weight.outcome), ("no_quorum", "passed"))

    def test_unanimity_of_all_and_of_those_voting(self):
        of_all = self.opened(majority="unanimity", majority_base="all")
        of_voting = self.opened(majority="unanimity")
        for resolution in of_all | of_voting:
            self.cast(resolution, {self.a1: "for", self.a3: "for"})
        self.assertFalse(of_all.passing, "A-2 has not voted")
        self.assertTrue(of_voting.passing)
        self.cast(of_all, {self.a2: "for"})
        self.assertTrue(of_all.passing)

    def test_abstentions_counted_or_left_out(self):
        counted = self.opened(weight_basis="unit")
        excluded = self.opened(weight_basis="unit", abstentions_excluded=True)
        for resolution in counted | excluded:
            self.cast(resolution, {self.a1: "for", self.a2: "abstain", self.a3: "abstain"})
        self.assertFalse(counted.passing, "1 for of 3 cast")
        self.assertTrue(excluded.passing, "1 for, nobody against")
        self.assertEqual(
            (excluded.for_count, excluded.against_count, excluded.abstain_count), (1, 0, 2)
        )
        self.assertIn("o_site_result_abstain", excluded.results_html)

    def test_two_thirds_at_the_boundary(self):
        # 2 of 3 units per unit is exactly two thirds: reached; three quarters is not
        two_thirds = self.opened(weight_basis="unit", majority="two_thirds")
        three_quarters = self.opened(weight_basis="unit", majority="three_quarters")
        for resolution in two_thirds | three_quarters:
            self.cast(resolution, {self.a1: "for", self.a2: "for", self.a3: "against"})
        self.assertTrue(two_thirds.passing)
        self.assertFalse(three_quarters.passing)

    def test_the_cron_closes_ended_votes(self):
        ended = self.opened()
        running = self.opened()
        self.cast(ended, {self.a1: "for"})
        self.env.cr.execute(
            "UPDATE site_resolution SET date_close = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(minutes=1), ended.id],
        )
        ended.invalidate_recordset()
        self.env["site.resolution"]._cron_close_ended()
        self.assertEqual((ended.state, ended.outcome), ("closed", "passed"))
        self.assertEqual(running.state, "open")
