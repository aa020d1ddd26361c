import shutil
import subprocess

from odoo.tests import tagged

from odoo.addons.site_residents.tests.printing import render_pdf

from .common import GovernanceCase

PROTOCOL = "site_governance.action_report_resolution_protocol"


@tagged("post_install", "-at_install")
class TestProtocol(GovernanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a2.site_voter_id = cls.berk
        cls.open_ballot = cls.opened(name="Lift renewal", weight_basis="land_share")
        cls.secret = cls.opened(name="Auditor", ballot="secret", weight_basis="unit")
        for resolution in cls.open_ballot | cls.secret:
            for unit, choice in ((cls.a1, "for"), (cls.a2, "abstain"), (cls.a3, "against")):
                cls.vote_of(resolution, unit)._cast(choice, source="paper")
        (cls.open_ballot | cls.secret).action_close()

    def html(self, resolutions):
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(PROTOCOL, resolutions.ids)
        return html.decode()

    def test_open_ballot_protocol_lists_the_votes(self):
        html = self.html(self.open_ballot)
        self.assertIn("o_site_protocol_tally", html)
        self.assertIn("o_site_protocol_area", html)
        self.assertIn("80/100", html)
        self.assertIn("o_site_protocol_votes", html)
        for code, voter in (("A-1", "Ali"), ("A-2", "Berk"), ("A-3", "Deniz")):
            self.assertIn(f'data-unit="{code}"', html)
            self.assertIn(voter, html)

    def test_secret_protocol_has_the_tally_without_the_votes(self):
        html = self.html(self.secret)
        self.assertIn("o_site_protocol_tally", html)
        self.assertNotIn("o_site_protocol_votes", html)
        self.assertIn("o_site_protocol_participants", html)
        self.assertNotIn("Deniz", html)

    def test_the_pdf_renders_with_the_tally(self):
        pdf, pages = render_pdf(self, PROTOCOL, self.open_ballot.ids)
        self.assertGreaterEqual(pages, 1)
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext is not installed")
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        self.assertIn("Voting Protocol", text)
        self.assertIn("Lift renewal", text)
        # For: 1 unit, 10/100 of the 90/100 counted (abstentions count as cast)
        self.assertRegex(text, r"For\s+1\s+10/100\s+10\.00 %\s+10\.00 %")
        self.assertRegex(text, r"Against\s+1\s+80/100\s+80\.00 %")
        self.assertIn("Does not pass", text)
        self.assertIn("Rejected", text)

    def test_the_minutes_render(self):
        assembly = self.env["site.assembly"].create(
            {"name": "General Assembly", "company_id": self.site.id, "date": "2026-03-01 16:00:00"}
        )
        self.env["site.assembly.attendance"].create(
            {"assembly_id": assembly.id, "unit_id": self.a3.id, "partner_id": self.deniz.id}
        )
        self.open_ballot.invalidate_recordset()
        self.env.cr.execute(
            "UPDATE site_resolution SET assembly_id = %s WHERE id = %s",
            [assembly.id, self.open_ballot.id],
        )
        self.env.invalidate_all()
        _pdf, pages = render_pdf(
            self, "site_governance.action_report_assembly_minutes", assembly.ids
        )
        self.assertGreaterEqual(pages, 1)
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "site_governance.action_report_assembly_minutes", assembly.ids
        )
        self.assertIn("o_site_minutes_quorum", html.decode())
        self.assertIn("Lift renewal", html.decode())
