"""Printing benchmark of the site addons, called by tools/bench.py after the accrual.

    figures = measure_pdfs(env, site, units, owners)

Measures, in the caller's transaction (it rolls back):

- ``notice_pdf_pages_per_s``: the charge notices of 2026-12 of the first 1,000 units and,
  with site_metering and a computed allocation of the site, their expense notices, printed
  as one PDF (the two reports rendered, then merged);
- ``odoo_invoice_pdf_pages_per_s``: Odoo's own invoice PDF (``account.account_invoices``)
  for 1,000 posted out_invoices of 3 lines made here. Odoo converts one HTML file per
  invoice in one wkhtmltopdf call, which only a wkhtmltopdf with patched Qt can do; with
  any other (Debian's, this machine's) Odoo refuses more than one invoice per call, so
  the invoices are printed one call each as Odoo then must, on a sample of
  BENCH_ODOO_PDF_SAMPLE invoices (default 50; it is a rate);
- ``notice_pdf_peak_mb``: the peak growth of this process's resident memory while the
  print batch (site.notice.print.batch) of all the site's notices of the month runs its
  chunk jobs in-process (``queue_job__no_delay``), beside the growth after its first
  chunk (``notice_pdf_first_chunk_peak_mb``); ``notice_pdf_merge_peak_mb`` the same for
  the final merge.

The site gets a bank account first, as sites in production have: every notice then prints
its payment QR code.

wkhtmltopdf loads the report's stylesheet and fonts over HTTP from ``report.url``; with no
Odoo server running here, a small local server hands it the same compiled asset bundles
and static files, so that the PDFs are styled as in production.
"""

import functools
import http.server
import os
import re
import threading
import time
from datetime import date
from pathlib import Path

PERIOD = date(2026, 12, 1)
PRINTED_UNITS = 1000
PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")
REPORT_BUNDLES = ("web.report_assets_common", "web.report_assets_pdf")


def count_pages(pdf):
    return len(PAGE.findall(pdf))


class AssetServer:
    """Serves the compiled asset bundles that the reports link to (read once from the
    database, before the server starts) and the addons' static files, on 127.0.0.1."""

    def __init__(self, env):
        from odoo.tools.misc import file_path  # noqa: PLC0415

        self.bundles = {}
        for name in REPORT_BUNDLES:
            for is_css, autoprefix in ((True, True), (True, False), (False, False)):
                bundle = env["ir.qweb"]._get_asset_bundle(
                    name, css=is_css, js=not is_css, autoprefix=autoprefix
                )
                if is_css and bundle.stylesheets:
                    self.bundles[bundle.get_link("css")] = bundle.css()[:1].raw
                elif not is_css and bundle.javascripts:
                    self.bundles[bundle.get_link("js")] = bundle.js()[:1].raw
        bundles, find_file = self.bundles, file_path

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                path = self.path.split("?")[0]
                content = bundles.get(path)
                if content is None and "/static/" in path:
                    try:
                        content = Path(find_file(path.lstrip("/"))).read_bytes()
                    except (FileNotFoundError, ValueError):
                        content = None
                if content is None:
                    print("404", path)
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class PeakMemory:
    """Peak growth of this process's VmRSS, sampled every 10 ms by a thread."""

    def __init__(self):
        self.base = self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @staticmethod
    def rss_kb():
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def reset(self):
        """Measure from now on (the peak so far is returned in MB)."""
        peak = self.mb
        self.base = self.peak = self.rss_kb()
        return peak

    @property
    def mb(self):
        return round((self.peak - self.base) / 1024, 1)

    def _sample(self):
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, self.rss_kb())

    def __enter__(self):
        self.reset()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss_kb())


def timed_pdf(env, report, ids, data=None):
    start = time.perf_counter()
    pdf, _type = env["ir.actions.report"]._render_qweb_pdf(report, ids, data=data)
    return pdf, time.perf_counter() - start


def measure_pdfs(env, site, units, owners):
    """The printing figures of the module docstring, as a dict."""
    Report = env["ir.actions.report"]
    printed_units = units[:PRINTED_UNITS]
    notices = env["site.charge.notice"].search(
        [
            ("company_id", "=", site.id),
            ("period", "=", PERIOD),
            ("unit_id", "in", printed_units.ids),
        ]
    )
    allocation = (
        env["site.cost.allocation"].search(
            [("company_id", "=", site.id), ("state", "in", ("computed", "posted"))], limit=1
        )
        if "site.cost.allocation" in env
        else None
    )
    invoices = _odoo_invoices(env, site, owners[:PRINTED_UNITS])
    # as a site in production: with its bank account, every notice prints its QR code
    if not site.partner_id.bank_ids:
        env["res.partner.bank"].create(
            {"partner_id": site.partner_id.id, "acc_number": "TR330006100519786457841326"}
        )
    figures = {}
    with AssetServer(env) as server:
        env["ir.config_parameter"].sudo().set_param("report.url", server.url)
        # warm-up: templates compiled, bundles cached, as on a running server
        Report._render_qweb_pdf("site_dues.report_site_charge_notice", notices[:2].ids)
        Report._render_qweb_pdf("account.account_invoices", invoices[:1].ids)
        # the batch first: memory the other steps took is not returned to the system and
        # would hide the batch's own growth
        figures.update(_batch_figures(env, site))
        env.invalidate_all()
        figures.update(_notice_figures(env, notices, allocation, printed_units))
        env.invalidate_all()
        figures.update(_odoo_invoice_figures(env, invoices))
    return figures


def _notice_figures(env, notices, allocation, printed_units):
    from odoo.tools.pdf import merge_pdf  # noqa: PLC0415

    start = time.perf_counter()
    charge_pdf, charge_s = timed_pdf(env, "site_dues.report_site_charge_notice", notices.ids)
    pdfs = [charge_pdf]
    figures = {
        "charge_notice_pdf_notices": len(notices),
        "charge_notice_pdf_pages": count_pages(charge_pdf),
        "charge_notice_pdf_s": round(charge_s, 2),
    }
    if allocation:
        expense_pdf, expense_s = timed_pdf(
            env,
            "site_metering.report_expense_notice",
            allocation.ids,
            data={"unit_ids": printed_units.ids},
        )
        pdfs.append(expense_pdf)
        figures.update(
            expense_notice_pdf_pages=count_pages(expense_pdf),
            expense_notice_pdf_s=round(expense_s, 2),
        )
    merged = merge_pdf(pdfs) if len(pdfs) > 1 else charge_pdf
    elapsed = time.perf_counter() - start
    pages = count_pages(merged)
    figures.update(
        notice_pdf_pages=pages,
        notice_pdf_s=round(elapsed, 2),
        notice_pdf_pages_per_s=round(pages / elapsed, 1),
    )
    return figures


def _odoo_invoices(env, site, owners):
    """Posted out_invoices of 3 lines, one per owner, as the bench's accrual reference."""
    income = env["account.account"].search(
        [("company_ids", "in", site.id), ("account_type", "=", "income")], limit=1
    )
    from bench import odoo_invoice_values  # noqa: PLC0415 (bench.py imports this file)

    invoices = env["account.move"].create(odoo_invoice_values(owners, income, PERIOD))
    invoices.action_post()
    env.flush_all()
    return invoices


def _odoo_invoice_figures(env, invoices):
    from odoo.exceptions import UserError  # noqa: PLC0415

    try:
        pdf, elapsed = timed_pdf(env, "account.account_invoices", invoices.ids)
        printed, mode = invoices, "one_call"
        pages = count_pages(pdf)
    except UserError:  # wkhtmltopdf without patched Qt: one invoice per call
        printed = invoices[: int(os.environ.get("BENCH_ODOO_PDF_SAMPLE", 50))]
        mode, pages, elapsed = "one_call_per_invoice", 0, 0.0
        for invoice in printed:
            pdf, seconds = timed_pdf(env, "account.account_invoices", invoice.ids)
            pages += count_pages(pdf)
            elapsed += seconds
    return {
        "odoo_invoice_pdf_invoices": len(printed),
        "odoo_invoice_pdf_mode": mode,
        "odoo_invoice_pdf_pages": pages,
        "odoo_invoice_pdf_s": round(elapsed, 2),
        "odoo_invoice_pdf_pages_per_s": round(pages / elapsed, 1),
    }


def _batch_figures(env, site):
    """Print all the site's notices of the month with the print batch, its jobs run here
    one after the other; the peak memory growth after the first chunk, after all chunks
    and during the merge."""
    Batch = env["site.notice.print.batch"].with_context(queue_job__no_delay=True)
    batch_class = type(Batch)
    print_chunk, merge = batch_class._job_print_chunk, batch_class._job_merge
    after_chunks = []
    env.flush_all()
    env.invalidate_all()
    with PeakMemory() as memory:
        # queue_job calls the jobs' methods by their names
        @functools.wraps(print_chunk)
        def measured_chunk(batch, index, notice_ids):
            result = print_chunk(batch, index, notice_ids)
            after_chunks.append(memory.mb)
            return result

        @functools.wraps(merge)
        def measured_merge(batch):
            after_chunks.append(memory.reset())
            return merge(batch)

        batch_class._job_print_chunk, batch_class._job_merge = measured_chunk, measured_merge
        try:
            start = time.perf_counter()
            batch = Batch._print_period(site, PERIOD)
            elapsed = time.perf_counter() - start
        finally:
            batch_class._job_print_chunk, batch_class._job_merge = print_chunk, merge
    return {
        "notice_print_batch_notices": batch.notice_count,
        "notice_print_batch_chunks": batch.chunk_count,
        "notice_print_batch_pages": batch.page_count,
        "notice_print_batch_s": round(elapsed, 2),
        "notice_pdf_first_chunk_peak_mb": after_chunks[0],
        "notice_pdf_peak_mb": max(after_chunks),
        "notice_pdf_merge_peak_mb": memory.mb,
    }
