import io
import logging
import os
import subprocess
import tempfile
from contextlib import ExitStack

import lxml.html

from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf

from odoo.addons.base.models.ir_actions_report import _wkhtml

_logger = logging.getLogger(__name__)

_ARTICLES = "//div[contains(concat(' ', normalize-space(@class), ' '), ' article ')]"
_MARKER = "o_site_document"
SITE_PAPERFORMAT = "site_residents.paperformat_site_document"
_PAGE_BREAK = "page-break-before: always;"
# wkhtmltopdf starts in about 0.3 s: a process gets at least this many documents
MIN_ARTICLES_PER_PROCESS = 50
MAX_PROCESSES = 4


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """Residents' documents of many records, not kept as attachments, come back as the
        one PDF wkhtmltopdf made. Odoo would cut it into one PDF per record and join those
        again: for a site's notices that takes as long as printing them, and each page then
        carries its own copy of the fonts."""
        report = self._get_report(report_ref)
        paperformat = self.env.ref(SITE_PAPERFORMAT, raise_if_not_found=False)
        if (
            not res_ids
            or len(res_ids) < 2
            or len(set(res_ids)) != len(res_ids)
            or report.attachment
            or not paperformat
            or report.paperformat_id != paperformat
        ):
            return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        if self.get_wkhtmltopdf_state() == "install":
            raise UserError(
                _("Unable to find Wkhtmltopdf on this system. The PDF can not be created.")
            )
        data = dict(data or {}, report_type="pdf", debug=False)
        html = self.with_context(debug=False)._render_qweb_html(report_ref, res_ids, data=data)[0]
        bodies, _ids, header, footer, paperformat_args = report.with_context(
            debug=False
        )._prepare_html(html, report_model=report.model)
        pdf = self._run_wkhtmltopdf(
            bodies,
            report_ref=report_ref,
            header=header,
            footer=footer,
            landscape=self.env.context.get("landscape"),
            specific_paperformat_args=paperformat_args,
            set_viewport_size=self.env.context.get("set_viewport_size"),
        )
        return {False: {"stream": io.BytesIO(pdf), "attachment": None}}

    def _run_wkhtmltopdf(
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        """Many residents' documents (charge notices, expense notices: one body of
        articles, see site_residents' ``_prepare_html``) are converted by several
        wkhtmltopdf processes at once, each given a run of whole documents, and their
        PDFs joined in order: wkhtmltopdf lays out pages on one core, a site's notices
        take all the machine's."""
        parts = (
            _split_articles(bodies[0], _processes())
            if len(bodies) == 1 and not header and not footer
            else None
        )
        if not parts:
            return super()._run_wkhtmltopdf(
                bodies,
                report_ref=report_ref,
                header=header,
                footer=footer,
                landscape=landscape,
                specific_paperformat_args=specific_paperformat_args,
                set_viewport_size=set_viewport_size,
            )
        paperformat = (
            self._get_report(report_ref).get_paperformat() if report_ref else self.get_paperformat()
        )
        command = [
            _wkhtml().bin,
            *self._build_wkhtmltopdf_args(
                paperformat,
                landscape,
                specific_paperformat_args=specific_paperformat_args,
                set_viewport_size=set_viewport_size,
            ),
        ]
        with ExitStack() as stack:
            directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="report.site."))
            processes = []
            for index, html in enumerate(parts):
                source = os.path.join(directory, f"part{index}.html")
                target = os.path.join(directory, f"part{index}.pdf")
                with open(source, "w", encoding="utf-8") as file:
                    file.write(html)
                process = subprocess.Popen(  # noqa: S603 the binary Odoo found, our files
                    [*command, source, target],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    encoding="utf-8",
                )
                stack.callback(_stop, process)
                processes.append((process, target))
            pdfs = []
            for process, target in processes:
                _out, err = process.communicate()
                # 1: a resource (e.g. a stylesheet) did not load, the PDF is made, as Odoo
                if process.returncode not in (0, 1) or not os.path.exists(target):
                    raise UserError(
                        _(
                            "Wkhtmltopdf failed (error code: %(error_code)s). Message: %(message)s",
                            error_code=process.returncode,
                            message=(err or "")[-1000:],
                        )
                    )
                if process.returncode:
                    _logger.warning("wkhtmltopdf: %s", err)
                with open(target, "rb") as file:
                    pdfs.append(file.read())
        return merge_pdf(pdfs)


def _processes():
    return max(1, min(MAX_PROCESSES, os.cpu_count() or 1))


def _split_articles(body, processes):
    """``body`` (one residents' documents' HTML page) as up to ``processes`` pages, each
    with a consecutive run of its articles; None when it is not worth it or not such a
    body."""
    if processes < 2 or _MARKER not in body:
        return None
    root = lxml.html.fromstring(body)
    articles = root.xpath(_ARTICLES)
    count = min(processes, len(articles) // MIN_ARTICLES_PER_PROCESS)
    parent = articles[0].getparent() if articles else None
    if count < 2 or any(article.getparent() is not parent for article in articles):
        return None
    for article in articles:
        parent.remove(article)
    size = -(-len(articles) // count)
    parts = []
    for start in range(0, len(articles), size):
        run = articles[start : start + size]
        # the page break between two documents, not before the first of a part
        style = run[0].get("style") or ""
        run[0].set("style", style.replace(_PAGE_BREAK, "").strip())
        parent.extend(run)
        parts.append(lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>"))
        for article in run:
            parent.remove(article)
        run[0].set("style", style)
    return parts


def _stop(process):
    if process.poll() is None:
        process.kill()
        process.wait()
