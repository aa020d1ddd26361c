import re
import shutil
from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from ..report.ir_actions_report import _split_articles
from .common import TwoSitesCase

DEC = date(2026, 12, 1)
PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")


@tagged("post_install", "-at_install")
class TestNoticePrintBatch(TwoSitesCase, HttpCase):
    """A site's charge notices of a month printed as one PDF by parallel chunk jobs.
    An HttpCase: wkhtmltopdf fetches the report's styles from the test's own server,
    which serves it only while the test lets go of the registry (Odoo's patch of
    ``_run_wkhtmltopdf`` in HttpCase)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Unit = cls.env["site.unit"]
        more_units = Unit.create(
            [
                {"code": f"A-{n}", "company_id": cls.site.id, "building_id": cls.building.id}
                for n in range(4, 6)
            ]
        )
        more_owners = cls.env["res.partner"].create([{"name": f"Owner {n}"} for n in (4, 5)])
        cls.env["site.unit.relation"].create(
            [
                {"unit_id": unit.id, "partner_id": owner.id, "date_from": date(2020, 1, 1)}
                for unit, owner in zip(more_units, more_owners)
            ]
        )
        # notices as the month's accrual leaves them (printing needs no charges)
        cls.env["site.charge.notice"].create(
            [
                {
                    "company_id": cls.site.id,
                    "unit_id": unit.id,
                    "partner_id": owner.id,
                    "period": DEC,
                    "due_date": date(2026, 12, 10),
                }
                for unit, owner in zip(cls.units | more_units, cls.owners | more_owners)
            ]
        )
        cls.notices = cls.env["site.charge.notice"].search(
            [("company_id", "=", cls.site.id), ("period", "=", DEC)]
        )
        cls.Batch = cls.env["site.notice.print.batch"]

    def jobs(self):
        return self.env["queue.job"].search(
            [("model_name", "=", "site.notice.print.batch")], order="id"
        )

    def print_now(self, batch):
        """Run the batch's jobs in this process, as a worker would, and render real PDFs."""
        if not shutil.which("wkhtmltopdf"):
            self.skipTest("wkhtmltopdf is not installed")
        # wkhtmltopdf fetches the report's styles from this test's server
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            batch.with_context(queue_job__no_delay=True, force_report_rendering=True).action_print()

    def test_chunks_are_queued_once(self):
        self.assertEqual(len(self.notices), 5)
        batch = self.Batch.create({"company_id": self.site.id, "period": date(2026, 12, 17)})
        self.assertEqual(batch.period, DEC)
        batch.chunk_size = 2
        batch.action_print()
        self.assertEqual(batch.state, "running")
        self.assertEqual((batch.notice_count, batch.chunk_count), (5, 3))
        jobs = self.jobs()
        chunk_jobs = jobs.filtered(lambda job: job.method_name == "_job_print_chunk")
        self.assertEqual(len(chunk_jobs), 3)
        merge_job = jobs - chunk_jobs
        self.assertEqual(merge_job.method_name, "_job_merge")
        self.assertEqual(
            sorted(job.args for job in chunk_jobs),
            [[0, self.notices.ids[:2]], [1, self.notices.ids[2:4]], [2, self.notices.ids[4:]]],
        )
        self.assertEqual(set(jobs.mapped("channel")), {"root.site_dues"})
        self.assertEqual(merge_job.dependency_ids, chunk_jobs, "the merge waits for the chunks")
        # a second click while the jobs run queues nothing new
        batch.action_print()
        self.Batch._print_period(self.site, DEC)
        self.assertEqual(self.jobs(), jobs)
        self.assertEqual(self.Batch.search_count([("company_id", "=", self.site.id)]), 1)

    def test_one_pdf_with_every_notice_page(self):
        batch = self.Batch.create({"company_id": self.site.id, "period": DEC, "chunk_size": 2})
        self.print_now(batch)
        self.assertEqual(batch.state, "done", batch.error)
        pdf = batch.pdf_id.raw
        self.assertTrue(pdf.startswith(b"%PDF"))
        # each chunk's own PDF is what the one-call report prints for its notices
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            expected = sum(
                len(
                    PAGE.findall(
                        self.env["ir.actions.report"]
                        .with_context(force_report_rendering=True)
                        ._render_qweb_pdf("site_dues.action_report_site_charge_notice", ids)[0]
                    )
                )
                for ids in (self.notices.ids[:2], self.notices.ids[2:4], self.notices.ids[4:])
            )
        self.assertEqual(len(PAGE.findall(pdf)), expected)
        self.assertEqual(batch.page_count, expected)
        self.assertGreaterEqual(batch.page_count, 5)
        self.assertFalse(batch._chunk_attachments(), "the chunks are deleted once merged")

    def test_printing_again_replaces_the_pdf(self):
        batch = self.Batch.create({"company_id": self.site.id, "period": DEC, "chunk_size": 3})
        self.print_now(batch)
        first_pdf = batch.pdf_id
        self.print_now(batch)
        self.assertEqual(batch.state, "done")
        self.assertFalse(first_pdf.exists())
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", batch._name), ("res_id", "=", batch.id)]
        )
        self.assertEqual(attachments, batch.pdf_id)
        self.assertEqual(batch.page_count, len(PAGE.findall(batch.pdf_id.raw)))

    def test_a_failing_chunk_fails_the_batch(self):
        batch = self.Batch.create({"company_id": self.site.id, "period": DEC, "chunk_size": 2})

        def broken(report, *args, **kwargs):
            raise ValueError("printer on fire")

        self.patch(type(self.env["ir.actions.report"]), "_render_qweb_pdf", broken)
        with mute_logger("odoo.addons.site_dues.models.site_notice_print_batch"):
            batch.with_context(queue_job__no_delay=True).action_print()
        self.assertEqual(batch.state, "failed")
        self.assertIn("printer on fire", batch.error)
        self.assertIn(" / 2026-12", batch.error, "the error names the chunk's notices")
        self.assertFalse(batch.pdf_id)

    def test_no_notices_is_a_clear_error(self):
        batch = self.Batch.create({"company_id": self.site_b.id, "period": DEC})
        with self.assertRaisesRegex(Exception, "no charge notices"):
            batch.action_print()

    def test_other_site_cannot_see_or_print(self):
        batch = self.Batch.create({"company_id": self.site.id, "period": DEC})
        Batch_b = self.as_user(self.accountant_b)["site.notice.print.batch"]
        self.assertFalse(Batch_b.search([]))
        with self.assertRaises(AccessError):
            Batch_b.browse(batch.id).action_print()
        with self.assertRaises(AccessError):
            Batch_b.browse(batch.id).read(["state"])
        self.assertEqual(batch.state, "draft")
        self.assertFalse(self.jobs())
        # the site's own accountant prints it; its board member only reads it
        self.as_user(self.accountant_a)["site.notice.print.batch"].browse(batch.id).action_print()
        self.assertEqual(batch.state, "running")
        Board_a = self.as_user(self.board_a)["site.notice.print.batch"]
        self.assertEqual(Board_a.search([]), batch)
        with self.assertRaises(AccessError):
            Board_a.create({"company_id": self.site.id, "period": date(2026, 11, 1)})
        self.assertFalse(self.as_user(self.board_b)["site.notice.print.batch"].search([]))


class TestSplitArticles(TransactionCase):
    """Many residents' documents go to several wkhtmltopdf processes, in order."""

    def body(self, count):
        articles = "".join(
            f'<div class="article o_site_document" data-oe-id="{n}"'
            + ("" if n == 0 else ' style="page-break-before: always;"')
            + f"><p>Notice {n}</p></div>"
            for n in range(count)
        )
        return f"<!DOCTYPE html><html><head><base href='http://x'/></head><body><main>{articles}</main></body></html>"

    def test_runs_of_whole_documents_in_order(self):
        parts = _split_articles(self.body(120), 4)
        self.assertEqual(len(parts), 2, "at least 50 documents a process")
        ids = [[int(n) for n in re.findall(r'data-oe-id="(\d+)"', part)] for part in parts]
        self.assertEqual(ids, [list(range(60)), list(range(60, 120))])
        for part in parts:
            self.assertTrue(part.startswith("<!DOCTYPE html>"))
            self.assertIn("<base", part)
            first = re.search(r'<div class="article[^>]*>', part).group(0)
            self.assertNotIn("page-break-before", first)
            self.assertEqual(part.count("page-break-before"), 59)

    def test_few_documents_stay_in_one_process(self):
        self.assertIsNone(_split_articles(self.body(99), 4))
        self.assertIsNone(_split_articles(self.body(500), 1))
        self.assertIsNone(_split_articles("<html><body><p>x</p></body></html>", 4))
