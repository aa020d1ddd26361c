import lxml.html
from markupsafe import Markup

from odoo import models

_CLASS = "//div[contains(concat(' ', normalize-space(@class), ' '), ' {} ')]"
_MARKER = "o_site_document"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _prepare_html(self, html, report_model=False):
        """Residents' documents (site_residents.site_document_layout) carry their
        letterhead and footer in the page: print them without header/footer files and
        with all their articles in one body.

        Odoo passes a header and a footer file even when a report has none, and one HTML
        file per record; a wkhtmltopdf built without patched Qt (Debian's and many
        servers') ignores the header switches, converts only one file per call and exits
        with code 1 ("Tried to convert multiple documents in wkhtmltopdf using unpatched
        QT"). One body, each record starting on a new page, prints anywhere. The ids of
        the articles are still returned, so Odoo splits the PDF per record when it can.
        """
        marker = _MARKER.encode() if isinstance(html, bytes) else _MARKER
        if not html or marker not in html:
            return super()._prepare_html(html, report_model=report_model)
        root = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(encoding="utf-8"))
        layout = self._get_layout()
        if (
            not layout
            or not root.xpath(_CLASS.format(_MARKER))
            or root.xpath(_CLASS.format("header"))
            or root.xpath(_CLASS.format("footer"))
        ):
            return super()._prepare_html(html, report_model=report_model)

        articles = root.xpath(_CLASS.format("article"))
        res_ids = []
        for index, article in enumerate(articles):
            if index:
                style = (article.get("style") or "").strip().rstrip(";")
                article.set("style", f"{style}; page-break-before: always;".lstrip("; "))
            if report_model and article.get("data-oe-model") == report_model:
                res_ids.append(int(article.get("data-oe-id") or 0))
            else:
                res_ids.append(None)
        lang = articles[0].get("data-oe-lang") if articles else None
        qweb = self.env["ir.qweb"].with_context(lang=lang) if lang else self.env["ir.qweb"]
        body = qweb._render(
            layout.id,
            {
                "subst": False,
                "body": Markup(
                    "".join(lxml.html.tostring(node, encoding="unicode") for node in articles)
                ),
                "base_url": self._get_report_url(layout=layout),
                "report_xml_id": self.xml_id,
                "debug": self.env.context.get("debug"),
            },
            raise_if_not_found=False,
        )
        paperformat_args = {
            name: value for name, value in root.items() if name.startswith("data-report-")
        }
        return [body], res_ids, None, None, paperformat_args
