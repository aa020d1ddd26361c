import base64
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import GovernanceCase

PROXY = base64.b64encode(b"%PDF-1.4 proxy")


@tagged("post_install", "-at_install")
class TestVotes(GovernanceCase):
    def test_one_vote_per_unit(self):
        resolution = self.opened()
        vote = self.vote_of(resolution, self.a1)
        vote._cast("for", source="paper")
        with self.assertRaisesRegex(UserError, "A-1 has voted"):
            vote._cast("against", source="portal")
        self.assertEqual(vote.choice, "for")
        # the roll holds each unit once, whoever tries to add it again
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["site.vote"].with_context(site_vote_roll=True).create(
                {"resolution_id": resolution.id, "unit_id": self.a1.id}
            )
        with self.assertRaisesRegex(UserError, "roll is made when the vote opens"):
            self.env["site.vote"].create({"resolution_id": resolution.id, "unit_id": self.a1.id})

    def test_co_owners_name_who_votes(self):
        resolution = self.opened()
        vote = self.vote_of(resolution, self.a2)
        self.assertFalse(vote.voter_id)
        with self.assertRaisesRegex(ValidationError, "A-2 has several owners.*Voter"):
            vote._cast("for", source="paper")
        with self.assertRaisesRegex(ValidationError, "A-2: Ali does not own"):
            vote._cast("for", source="paper", voter=self.ali)
        with self.assertRaisesRegex(ValidationError, "Votes For the Unit"), self.cr.savepoint():
            self.a2.site_voter_id = self.ali
        self.a2.site_voter_id = self.cem
        vote._cast("for", source="paper")
        self.assertEqual((vote.voter_id, vote.choice, vote.source), (self.cem, "for", "paper"))

    def test_change_within_the_window_where_the_site_allows_it(self):
        resolution = self.opened()
        vote = self.vote_of(resolution, self.a1)
        vote._cast("for", source="portal", voter=self.ali)
        with self.assertRaisesRegex(UserError, "does not allow changing"):
            vote._cast("against", source="portal", voter=self.ali)
        self.site.site_vote_change_allowed = True
        resolution.invalidate_recordset(["change_allowed"])
        vote._cast("against", source="portal", voter=self.ali)
        self.assertEqual(vote.choice, "against")
        # a teller does not overwrite what the owner cast on the portal
        with self.assertRaisesRegex(UserError, "voted on the portal"):
            vote._cast("for", source="paper")
        # a teller corrects a paper entry
        paper = self.vote_of(resolution, self.a3)
        paper._cast("for", source="paper")
        paper._cast("abstain", source="paper")
        self.assertEqual(paper.choice, "abstain")
        resolution.action_close()
        with self.assertRaisesRegex(UserError, "not open"):
            vote._cast("for", source="portal", voter=self.ali)
        self.assertEqual(vote.choice, "against")

    def test_portal_votes_only_inside_the_window(self):
        now = fields.Datetime.now()
        later = self.opened(date_open=now + timedelta(hours=2), date_close=now + timedelta(days=2))
        with self.assertRaisesRegex(UserError, "is open from"):
            self.vote_of(later, self.a1)._cast("for", source="portal", voter=self.ali)
        ended = self.opened()
        self.env.cr.execute(
            "UPDATE site_resolution SET date_close = %s WHERE id = %s",
            [now - timedelta(minutes=5), ended.id],
        )
        ended.invalidate_recordset()
        with self.assertRaisesRegex(UserError, "is open from"):
            self.vote_of(ended, self.a1)._cast("for", source="portal", voter=self.ali)
        self.assertFalse(ended.vote_ids.filtered("voted"))

    def test_nothing_changes_after_closing(self):
        resolution = self.opened()
        self.cast(resolution, {self.a1: "for"})
        resolution.action_close()
        vote = self.vote_of(resolution, self.a1)
        with self.assertRaisesRegex(UserError, "closed"):
            vote.proxy_name = "Someone"
        with self.assertRaisesRegex(UserError, "closed"):
            resolution.majority = "unanimity"
        with self.assertRaisesRegex(UserError, "closed"):
            resolution.date_close = fields.Datetime.now() + timedelta(days=9)
        with self.assertRaisesRegex(UserError, "stays on the roll"):
            vote.unlink()
        with self.assertRaisesRegex(UserError, "kept, with its votes"):
            resolution.unlink()
        with self.assertRaisesRegex(UserError, "not open"):
            resolution.action_close()
        # the record rules say the same to any user, past the models' own checks
        manager = self.as_user(self.manager_a)
        with self.assertRaises(AccessError):
            manager["site.vote"].browse(vote.id).check_access("write")
        with self.assertRaises(AccessError):
            manager["site.vote"].browse(vote.id).check_access("unlink")
        with self.assertRaises(AccessError):
            manager["site.resolution"].browse(resolution.id).check_access("unlink")
        manager["site.resolution"].browse(resolution.id).check_access("read")

    def test_open_resolutions_keep_their_text_and_rules(self):
        resolution = self.opened()
        with self.assertRaisesRegex(UserError, "Majority Needed"):
            resolution.majority = "two_thirds"
        with self.assertRaisesRegex(UserError, "Text of the Resolution"):
            resolution.body = "<p>Another text</p>"
        with self.assertRaisesRegex(UserError, "opening or closing"):
            resolution.state = "closed"
        # the window may be extended while it runs
        resolution.date_close += timedelta(days=3)
        with self.assertRaisesRegex(UserError, "opens once"):
            resolution.action_open()

    def test_choices_come_from_casting_only(self):
        resolution = self.opened()
        vote = self.vote_of(resolution, self.a1)
        with self.assertRaisesRegex(UserError, "Choice"):
            vote.write({"choice": "for", "voted": True})
        with self.assertRaisesRegex(ValidationError, "For, Against or Abstain"):
            vote._cast("yes", source="paper")
        vote.with_context(site_choice="against").action_cast()
        self.assertEqual((vote.choice, vote.source), ("against", "paper"))
        with self.assertRaisesRegex(UserError, "Staff record paper ballots"):
            self.vote_of(resolution, self.a3).with_context(
                site_choice="for", site_source="portal"
            ).action_cast()

    def test_proxies(self):
        resolution = self.opened()
        vote = self.vote_of(resolution, self.a3)
        vote.proxy_name = "Av. Zehra Koç"
        with self.assertRaisesRegex(ValidationError, "A-3.*Zehra Koç.*Proxy Document"):
            vote._cast("for", source="paper")
        vote.write({"proxy_document": PROXY, "proxy_document_name": "proxy.pdf"})
        vote._cast("for", source="paper")
        self.assertEqual((vote.voter_id, vote.proxy_name), (self.deniz, "Av. Zehra Koç"))
        with self.assertRaisesRegex(UserError, "keeps the proxy"):
            vote.proxy_name = "Someone else"

    def test_attendance_by_proxy_and_the_assemblys_count(self):
        assembly = self.env["site.assembly"].create(
            {
                "name": "General Assembly",
                "company_id": self.site.id,
                "date": fields.Datetime.now(),
                "weight_basis": "land_share",
                "quorum": "simple",
                "quorum_by": "both",
            }
        )
        Attendance = self.env["site.assembly.attendance"]
        with (
            self.assertRaisesRegex(ValidationError, "A-3 is present by proxy.*\\(Proxy\\)"),
            self.cr.savepoint(),
        ):
            Attendance.create({"assembly_id": assembly.id, "unit_id": self.a3.id, "mode": "proxy"})
        with self.assertRaisesRegex(ValidationError, "Proxy Document"), self.cr.savepoint():
            Attendance.create(
                {
                    "assembly_id": assembly.id,
                    "unit_id": self.a3.id,
                    "mode": "proxy",
                    "proxy_name": "Av. Zehra Koç",
                }
            )
        Attendance.create(
            {
                "assembly_id": assembly.id,
                "unit_id": self.a3.id,
                "partner_id": self.deniz.id,
                "mode": "proxy",
                "proxy_name": "Av. Zehra Koç",
                "proxy_document": PROXY,
                "proxy_document_name": "proxy.pdf",
            }
        )
        # 1 unit of 3 but 80 % of the share: no quorum by number and share
        self.assertEqual((assembly.present_count, assembly.unit_count), (1, 3))
        self.assertAlmostEqual(assembly.present_weight_percent, 80.0)
        self.assertFalse(assembly.quorum_met)
        Attendance.create({"assembly_id": assembly.id, "unit_id": self.a1.id})
        self.assertTrue(assembly.quorum_met)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            Attendance.create({"assembly_id": assembly.id, "unit_id": self.a1.id})
        # the assembly's count: the units present vote for, the proxy is on the vote
        resolution = self.opened(assembly_id=assembly.id, weight_basis="land_share")
        resolution.action_assembly_count()
        voted = resolution.vote_ids.filtered("voted")
        self.assertEqual(voted.unit_id, self.a1 | self.a3)
        self.assertEqual(set(voted.mapped("source")), {"assembly"})
        proxied = self.vote_of(resolution, self.a3)
        self.assertEqual((proxied.proxy_name, proxied.proxy_document), ("Av. Zehra Koç", PROXY))
        self.vote_of(resolution, self.a1).with_context(
            site_choice="against", site_source="assembly"
        ).action_cast()
        self.assertEqual((resolution.for_count, resolution.against_count), (1, 1))
        self.assertEqual(assembly.not_voted_count, 1)

    def test_notices_to_every_owner(self):
        assembly = self.env["site.assembly"].create(
            {"name": "General Assembly", "company_id": self.site.id, "date": fields.Datetime.now()}
        )
        with self.assertRaisesRegex(UserError, "Notices"):
            assembly.action_convene()
        self.cem.email = False
        assembly.action_generate_notices()
        notices = assembly.notice_ids
        self.assertEqual(notices.partner_id, self.ali | self.berk | self.cem | self.deniz)
        by_partner = {notice.partner_id: notice for notice in notices}
        self.assertEqual(by_partner[self.berk].unit_ids, self.a2)
        self.assertEqual(by_partner[self.cem].method, "letter", "no e-mail address")
        self.assertEqual(by_partner[self.ali].method, "email")
        by_partner[self.cem].write({"method": "registered", "tracking_ref": "RR 1"})
        assembly.action_generate_notices()  # again: nobody twice
        self.assertEqual(len(assembly.notice_ids), 4)
        self.assertEqual(
            (assembly.notice_unsent_count, assembly.written_notice_count),
            (4, 1),
        )
        self.assertEqual(assembly.registered_notice_count, 1)
        by_partner[self.cem].action_mark_sent()
        self.assertEqual(by_partner[self.cem].state, "sent")
        self.assertEqual(by_partner[self.cem].sent_on, fields.Date.context_today(assembly))
        (by_partner[self.ali] | by_partner[self.berk]).action_mark_questionnaire_returned()
        self.assertEqual(assembly.questionnaire_missing_count, 2)
        action = assembly.action_view_questionnaire_missing()
        missing = self.env["site.assembly.notice"].search(
            action["domain"] + [("questionnaire_returned_on", "=", False)]
        )
        self.assertEqual(missing.partner_id, self.cem | self.deniz)
        assembly.action_convene()
        self.assertEqual(assembly.state, "convened")
