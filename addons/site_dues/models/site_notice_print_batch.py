import logging
import tempfile

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

from odoo.addons.queue_job.delay import group
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import identity_exact
from odoo.addons.site_residents.engine.dates import month_start

_logger = logging.getLogger(__name__)

CHUNK_PREFIX = "chunk-"
NOTICE_REPORT = "site_dues.action_report_site_charge_notice"


def split(ids, size):
    """``ids`` in consecutive lists of at most ``size``."""
    return [ids[start : start + size] for start in range(0, len(ids), size)]


class SiteNoticePrintBatch(models.Model):
    """All the charge notices of a site and a month printed as one PDF.

    Printing runs as queue jobs (channel root.site_dues): one job per chunk of notices
    renders its chunk into an attachment of the batch, so that the workers share the
    site and none holds all its notices; a last job merges the chunks' files page by page
    into the batch's PDF and deletes them.
    """

    _name = "site.notice.print.batch"
    _inherit = ["site.company.mixin"]
    _description = "Charge Notice Print Batch"
    _order = "period desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    period = fields.Date(required=True, help="The month whose charge notices are printed.")
    chunk_size = fields.Integer(
        default=500,
        required=True,
        help="Notices printed by one job: the jobs run in parallel on the queue's workers.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Printing"), ("done", "Printed"), ("failed", "Failed")],
        default="draft",
        required=True,
        readonly=True,
    )
    notice_count = fields.Integer(string="Notices", readonly=True)
    chunk_count = fields.Integer(string="Jobs", readonly=True)
    page_count = fields.Integer(string="Pages", readonly=True)
    pdf_id = fields.Many2one("ir.attachment", string="PDF", readonly=True, ondelete="set null")
    date_done = fields.Datetime(string="Printed On", readonly=True)
    error = fields.Text(readonly=True)

    _company_period_uniq = models.Constraint(
        "UNIQUE (company_id, period)",
        "A site has one print batch per month: print it again from the existing one.",
    )
    _chunk_size_positive = models.Constraint(
        "CHECK (chunk_size > 0)", "The notices per job must be a positive number."
    )

    @api.depends("period", "company_id")
    def _compute_name(self):
        display = self.env["site.display"]
        for batch in self:
            batch.name = (
                _("Charge notices %(month)s", month=display._month_label(batch.period))
                if batch.period
                else ""
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("period"):
                vals["period"] = month_start(fields.Date.to_date(vals["period"]))
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("period"):
            vals["period"] = month_start(fields.Date.to_date(vals["period"]))
        return super().write(vals)

    @api.model
    def _print_period(self, company, period):
        """The batch of ``company``'s notices of ``period``'s month, created if missing, and
        printing (see ``action_print``)."""
        period = month_start(period)
        batch = self.search([("company_id", "=", company.id), ("period", "=", period)])
        if not batch:
            batch = self.create({"company_id": company.id, "period": period})
        batch.action_print()
        return batch

    @api.model
    def _action_print_months(self, notices):
        """Print all notices of the sites and months of ``notices`` (a list action on the
        charge notices) and show their batches."""
        batches = self.browse()
        for company, period in {(notice.company_id, notice.period) for notice in notices}:
            batches |= self._print_period(company, period)
        return {
            "type": "ir.actions.act_window",
            "name": _("Notice Printing"),
            "res_model": self._name,
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", batches.ids)],
        }

    def action_print(self):
        """Queue the printing of the batches not printing yet. A second click while the
        jobs run queues nothing; on a printed or failed batch it prints the notices again
        and replaces the PDF."""
        # two clicks at once: the second waits here and then sees the batch printing
        self.lock_for_update()
        self.invalidate_recordset(["state"])
        for batch in self.filtered(lambda b: b.state != "running"):
            batch._enqueue()
        return True

    def _enqueue(self):
        self.ensure_one()
        notices = self.env["site.charge.notice"].search(
            [("company_id", "=", self.company_id.id), ("period", "=", self.period)]
        )
        if not notices:
            raise UserError(
                _(
                    "%(site)s has no charge notices of %(month)s to print: run the month's "
                    "accrual first.",
                    site=self.company_id.name,
                    month=self.env["site.display"]._month_label(self.period),
                )
            )
        (self._chunk_attachments() | self.pdf_id).unlink()
        chunks = split(notices.ids, self.chunk_size)
        self.write(
            {
                "state": "running",
                "notice_count": len(notices),
                "chunk_count": len(chunks),
                "page_count": 0,
                "error": False,
                "date_done": False,
            }
        )
        batch = self.with_company(self.company_id)
        group(
            *(
                batch.delayable(
                    identity_key=identity_exact,
                    description=_(
                        "%(batch)s: notices %(first)s to %(last)s",
                        batch=self.name,
                        first=index * self.chunk_size + 1,
                        last=index * self.chunk_size + len(ids),
                    ),
                )._job_print_chunk(index, ids)
                for index, ids in enumerate(chunks)
            )
        ).on_done(
            batch.delayable(
                identity_key=identity_exact,
                description=_("%(batch)s: one PDF of all notices", batch=self.name),
            )._job_merge()
        ).delay()

    def _chunk_name(self, index):
        return f"{CHUNK_PREFIX}{index:05d}.pdf"

    def _chunk_attachments(self):
        return self.env["ir.attachment"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("name", "=like", f"{CHUNK_PREFIX}%"),
            ],
            order="name",
        )

    def _job_print_chunk(self, index, notice_ids):
        """Render the notices of chunk ``index`` into an attachment of the batch, as a
        queue job; a retry of a chunk already printed does nothing."""
        self.ensure_one()
        name = self._chunk_name(index)
        if self.state != "running" or self._chunk_attachments().filtered(
            lambda attachment: attachment.name == name
        ):
            return f"{name}: nothing to do"
        notices = self.env["site.charge.notice"].browse(notice_ids).exists()
        try:
            with self.env.cr.savepoint():
                pdf, _type = self.env["ir.actions.report"]._render_qweb_pdf(
                    NOTICE_REPORT, notices.ids
                )
                self.env["ir.attachment"].create(
                    {
                        "name": name,
                        "res_model": self._name,
                        "res_id": self.id,
                        "raw": pdf,
                        "mimetype": "application/pdf",
                    }
                )
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as error:
            raise RetryableJobError(str(error), seconds=30) from error
        except Exception as error:  # the batch shows why, the user prints it again
            _logger.exception("Print batch %s: chunk %s failed", self.id, index)
            self.write(
                {
                    "state": "failed",
                    "error": _(
                        "Notices %(names)s could not be printed: %(error)s",
                        names=", ".join(notices[:1].mapped("name") + notices[-1:].mapped("name")),
                        error=error,
                    ),
                }
            )
            return self.error
        # A worker runs each job in its own transaction; run in-process (tests, benchmark)
        # the jobs follow each other: the cache keeps one chunk's records, not the site's.
        self.env.flush_all()
        self.env.invalidate_all()
        return f"{name}: {len(notices)} notices"

    def _job_merge(self):
        """Merge the chunks' PDFs into the batch's PDF, as a queue job, page by page from
        the chunks' files into a temporary file; then delete the chunks."""
        self.ensure_one()
        if self.state != "running":
            return "nothing to merge"
        chunks = self._chunk_attachments()
        if len(chunks) != self.chunk_count:
            self.write(
                {
                    "state": "failed",
                    "error": _(
                        "%(printed)s of %(count)s jobs printed their notices: print the "
                        "batch again.",
                        printed=len(chunks),
                        count=self.chunk_count,
                    ),
                }
            )
            return self.error
        writer = PdfFileWriter()
        files = []
        try:
            for chunk in chunks:
                if chunk.store_fname:
                    stream = open(chunk._full_path(chunk.store_fname), "rb")  # noqa: SIM115
                else:
                    stream = tempfile.TemporaryFile()  # noqa: SIM115
                    stream.write(chunk.raw)
                    stream.seek(0)
                files.append(stream)
                for page in PdfFileReader(stream, strict=False).pages:
                    writer.add_page(page)
            with tempfile.TemporaryFile() as merged:
                writer.write(merged)
                page_count = len(writer.pages)
                del writer
                merged.seek(0)
                pdf = self.env["ir.attachment"].create(
                    {
                        "name": f"{self.name}.pdf",
                        "res_model": self._name,
                        "res_id": self.id,
                        "raw": merged.read(),
                        "mimetype": "application/pdf",
                    }
                )
        finally:
            for stream in files:
                stream.close()
        chunks.unlink()
        self.write(
            {
                "state": "done",
                "pdf_id": pdf.id,
                "page_count": page_count,
                "date_done": fields.Datetime.now(),
            }
        )
        return f"{page_count} pages"

    def action_download(self):
        self.ensure_one()
        if not self.pdf_id:
            raise UserError(_("%(batch)s has no PDF yet.", batch=self.name))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.pdf_id.id}?download=true",
            "target": "self",
        }
