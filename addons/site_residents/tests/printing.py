"""Printing residents' documents to PDF in tests."""

import io
import shutil

from odoo.tools.misc import mute_logger
from odoo.tools.pdf import PdfFileReader


def render_pdf(case, report_ref, res_ids):
    """(PDF bytes, page count) of ``report_ref`` for ``res_ids``; skips without wkhtmltopdf."""
    if not shutil.which("wkhtmltopdf"):
        case.skipTest("wkhtmltopdf is not installed")
    # wkhtmltopdf would fetch the CSS from this server, which waits on the test's
    # uncommitted transaction: point it nowhere, the PDF is made without styles.
    case.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
    with mute_logger("odoo.addons.base.models.ir_actions_report"):
        pdf, kind = (
            case.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report_ref, res_ids)
        )
    case.assertEqual(kind, "pdf")
    case.assertTrue(pdf.startswith(b"%PDF"))
    return pdf, len(PdfFileReader(io.BytesIO(pdf)).pages)
