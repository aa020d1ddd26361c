"""Debtors (aged balances), collections, XLSX exports and the charge notice print.

The aged balances are computed "as of" a date from the ledger: receivable lines of
site units dated up to that date, with what they still owed that day (their open
amount now, plus whatever was matched with them by entries dated later), bucketed
by the aging engine on their due dates.
"""

import base64
import io
import logging
from collections import defaultdict
from decimal import Decimal

import qrcode

from odoo import api, fields, models

from ..engine import aging
from .account_move_line import SITE_RECEIVABLE
from .site_accrual_plan import month_start

_logger = logging.getLogger(__name__)

BUCKET_FIELDS = ("not_due", "days_0_30", "days_31_60", "days_61_90", "days_90_plus")
AMOUNT_FIELDS = (*BUCKET_FIELDS, "credit", "total")


class SiteDebtorReport(models.AbstractModel):
    """Computations behind the debtor list and the collections report."""

    _name = "site.debtor.report"
    _description = "Site Debtors and Collections"

    @api.model
    def _receivable_domain(self, companies):
        return [
            ("company_id", "in", companies.ids),
            ("site_unit_id", "!=", False),
            *SITE_RECEIVABLE,
        ]

    @api.model
    def _open_as_of(self, companies, as_of, domain=()):
        """[(line dict, open amount on ``as_of`` as Decimal)] of the site units'
        receivable lines (within ``domain``) dated on or before ``as_of`` that were open
        that day."""
        lines = self.env["account.move.line"].search_read(
            self._receivable_domain(companies)
            + list(domain)
            + [
                ("date", "<=", as_of),
                "|",
                ("reconciled", "=", False),
                "|",
                ("matched_debit_ids.max_date", ">", as_of),
                ("matched_credit_ids.max_date", ">", as_of),
            ],
            [
                "company_id",
                "site_unit_id",
                "partner_id",
                "site_charge_type_id",
                "date",
                "date_maturity",
                "amount_residual",
            ],
            order="date, id",
            load=None,
        )
        open_amounts = {line["id"]: Decimal(str(line["amount_residual"])) for line in lines}
        if open_amounts:
            ids = list(open_amounts)
            later = self.env["account.partial.reconcile"].search_read(
                [
                    ("max_date", ">", as_of),
                    "|",
                    ("debit_move_id", "in", ids),
                    ("credit_move_id", "in", ids),
                ],
                ["debit_move_id", "credit_move_id", "amount"],
                load=None,
            )
            for partial in later:
                amount = Decimal(str(partial["amount"]))
                if partial["debit_move_id"] in open_amounts:
                    open_amounts[partial["debit_move_id"]] += amount
                if partial["credit_move_id"] in open_amounts:
                    open_amounts[partial["credit_move_id"]] -= amount
        return [(line, open_amounts[line["id"]]) for line in lines if open_amounts[line["id"]]]

    @api.model
    def _debtor_rows(self, companies, as_of, by_charge_type=True):
        """Aged open balances per site, unit, partner (and charge type), on ``as_of``.

        Returns a list of dicts: ``company``, ``unit``, ``partner``, ``charge_type``
        (records; the charge type empty for payments not yet used, or when not grouped
        by charge type), the buckets of BUCKET_FIELDS (what is due, by days overdue),
        ``credit`` (open credits, negative) and ``total`` (floats). Sorted by site, unit,
        partner and charge type.
        """
        items, credits = [], defaultdict(Decimal)
        for line, amount in self._open_as_of(companies, as_of):
            charge_type = line["site_charge_type_id"] if by_charge_type else False
            key = (
                line["company_id"],
                line["site_unit_id"],
                line["partner_id"] or False,
                charge_type,
            )
            if amount > 0:
                items.append((key, line["date_maturity"] or line["date"], amount))
            else:
                credits[key] += amount
        bucketed = aging.buckets(items, as_of)
        labels = aging.labels()
        rows = []
        for key in set(bucketed) | set(credits):
            company_id, unit_id, partner_id, charge_type_id = key
            buckets = bucketed.get(key, {})
            values = {
                field: float(buckets.get(label, Decimal(0)))
                for field, label in zip(BUCKET_FIELDS, labels)
            }
            values["credit"] = float(credits.get(key, Decimal(0)))
            total = sum(buckets.values(), Decimal(0)) + credits.get(key, Decimal(0))
            if not total and not any(values.values()):
                continue
            values["total"] = float(total)
            values.update(
                company=self.env["res.company"].browse(company_id),
                unit=self.env["site.unit"].browse(unit_id),
                partner=self.env["res.partner"].browse(partner_id),
                charge_type=self.env["site.charge.type"].browse(charge_type_id),
            )
            rows.append(values)
        rows.sort(
            key=lambda row: (
                row["company"].name or "",
                row["unit"].code_sort or "",
                row["partner"].name or "",
                row["charge_type"].sequence if row["charge_type"] else 10**6,
                row["charge_type"].id or 0,
            )
        )
        return rows

    @api.model
    def _collection_rows(self, companies, date_from, date_to):
        """Payments received per month, site and the charge type they settled.

        Receipts are the units' receivable credits without a charge type (payments and
        bank transactions) dated in the range; each is split by the charges it was
        matched with, the rest (still a credit, or paid back) under no charge type.
        Returns dicts ``month``, ``company``, ``charge_type`` (record, maybe empty),
        ``amount``, sorted by month, site and charge type.
        """
        AccountMoveLine = self.env["account.move.line"]
        receipts = AccountMoveLine.search_read(
            self._receivable_domain(companies)
            + [
                ("site_charge_type_id", "=", False),
                ("balance", "<", 0),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ],
            ["company_id", "date", "balance"],
            load=None,
        )
        by_receipt = {
            line["id"]: (month_start(line["date"]), line["company_id"]) for line in receipts
        }
        amounts = defaultdict(Decimal)
        for line in receipts:
            amounts[(*by_receipt[line["id"]], False)] += -Decimal(str(line["balance"]))
        partials = self.env["account.partial.reconcile"].search_read(
            [("credit_move_id", "in", list(by_receipt))],
            ["credit_move_id", "debit_move_id", "amount"],
            load=None,
        )
        charge_types = {
            line["id"]: line["site_charge_type_id"]
            for line in AccountMoveLine.search_read(
                [("id", "in", list({p["debit_move_id"] for p in partials}))],
                ["site_charge_type_id"],
                load=None,
            )
        }
        for partial in partials:
            charge_type = charge_types.get(partial["debit_move_id"])
            if not charge_type:
                continue  # a refund paid out: stays with "no charge type"
            month, company_id = by_receipt[partial["credit_move_id"]]
            amount = Decimal(str(partial["amount"]))
            amounts[(month, company_id, charge_type)] += amount
            amounts[(month, company_id, False)] -= amount
        rows = [
            {
                "month": month,
                "company": self.env["res.company"].browse(company_id),
                "charge_type": self.env["site.charge.type"].browse(charge_type_id),
                "amount": float(amount),
            }
            for (month, company_id, charge_type_id), amount in amounts.items()
            if amount
        ]
        rows.sort(
            key=lambda row: (
                row["month"],
                row["company"].name or "",
                row["charge_type"].sequence if row["charge_type"] else 10**6,
                row["charge_type"].id or 0,
            )
        )
        return rows

    # --- XLSX ------------------------------------------------------------------

    @api.model
    def _write_texts(self, sheet, row, column, texts, cell_format=None):
        """Write ``texts`` from ``column`` on as text cells.

        Names and bank memos come from users: write() would still make an array formula
        of "{=...}" whatever the workbook's options, write_string() never does.
        """
        for offset, text in enumerate(texts):
            sheet.write_string(row, column + offset, text or "", cell_format)

    @api.model
    def _xlsx_formats(self, workbook):
        display = self.env["site.display"]
        return {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#E9ECEF", "border": 1, "text_wrap": True}
            ),
            "text": workbook.add_format({}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "total_text": workbook.add_format({"bold": True, "top": 1}),
            "total_money": workbook.add_format({"bold": True, "top": 1, "num_format": "#,##0.00"}),
            "date": workbook.add_format({"num_format": display._xlsx_date_format()}),
            "month": workbook.add_format({"num_format": display._xlsx_month_format()}),
        }

    @api.model
    def _debtor_xlsx(self, companies, as_of, by_charge_type=True):
        """The debtor list as an XLSX file (bytes)."""
        rows = self._debtor_rows(companies, as_of, by_charge_type)
        output = io.BytesIO()
        workbook = self.env["site.spreadsheet"]._new_workbook(output)
        formats = self._xlsx_formats(workbook)
        sheet = workbook.add_worksheet(self.env._("Debtors"))
        self._write_texts(
            sheet,
            0,
            0,
            [self.env._("Debtors on %(date)s", date=self.env["site.display"]._date_label(as_of))],
            formats["title"],
        )
        self._write_texts(sheet, 1, 0, [", ".join(companies.mapped("name"))])
        headers = [self.env._("Site"), self.env._("Unit"), self.env._("Partner")]
        if by_charge_type:
            headers.append(self.env._("Charge Type"))
        text_columns = len(headers)
        headers += [
            self.env._("Not Due"),
            self.env._("1-30 Days"),
            self.env._("31-60 Days"),
            self.env._("61-90 Days"),
            self.env._("Over 90 Days"),
            self.env._("Credit"),
            self.env._("Total"),
        ]
        self._write_texts(sheet, 3, 0, headers, formats["header"])
        totals = dict.fromkeys(AMOUNT_FIELDS, 0.0)
        row_index = 4
        for row in rows:
            texts = [row["company"].name, row["unit"].code, row["partner"].name or ""]
            if by_charge_type:
                texts.append(row["charge_type"].name or self.env._("Unallocated Credit"))
            self._write_texts(sheet, row_index, 0, texts, formats["text"])
            for offset, field in enumerate(AMOUNT_FIELDS):
                sheet.write_number(row_index, text_columns + offset, row[field], formats["money"])
                totals[field] += row[field]
            row_index += 1
        self._write_texts(sheet, row_index, 0, [self.env._("Total")], formats["total_text"])
        for offset, field in enumerate(AMOUNT_FIELDS):
            sheet.write_number(
                row_index, text_columns + offset, round(totals[field], 2), formats["total_money"]
            )
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, 1, 10)
        sheet.set_column(2, 2, 28)
        if by_charge_type:
            sheet.set_column(3, 3, 20)
        sheet.set_column(text_columns, text_columns + len(AMOUNT_FIELDS) - 1, 13)
        sheet.freeze_panes(4, text_columns)
        workbook.close()
        return output.getvalue()

    @api.model
    def _collections_xlsx(self, companies, date_from, date_to):
        """Payments received per month, site and charge type, as an XLSX file (bytes)."""
        rows = self._collection_rows(companies, date_from, date_to)
        output = io.BytesIO()
        workbook = self.env["site.spreadsheet"]._new_workbook(output)
        formats = self._xlsx_formats(workbook)
        sheet = workbook.add_worksheet(self.env._("Collections"))
        self._write_texts(
            sheet,
            0,
            0,
            [
                self.env._(
                    "Payments received from %(start)s to %(end)s",
                    start=self.env["site.display"]._date_label(date_from),
                    end=self.env["site.display"]._date_label(date_to),
                )
            ],
            formats["title"],
        )
        self._write_texts(sheet, 1, 0, [", ".join(companies.mapped("name"))])
        self._write_texts(
            sheet,
            3,
            0,
            [
                self.env._("Month"),
                self.env._("Site"),
                self.env._("Charge Type"),
                self.env._("Amount"),
            ],
            formats["header"],
        )
        row_index, total = 4, 0.0
        for row in rows:
            sheet.write_datetime(
                row_index, 0, fields.Datetime.to_datetime(row["month"]), formats["month"]
            )
            self._write_texts(
                sheet,
                row_index,
                1,
                [row["company"].name, row["charge_type"].name or self.env._("Not Allocated")],
            )
            sheet.write_number(row_index, 3, row["amount"], formats["money"])
            total += row["amount"]
            row_index += 1
        self._write_texts(sheet, row_index, 0, [self.env._("Total")], formats["total_text"])
        sheet.write_number(row_index, 3, round(total, 2), formats["total_money"])
        sheet.set_column(0, 0, 15)
        sheet.set_column(1, 2, 26)
        sheet.set_column(3, 3, 14)
        workbook.close()
        return output.getvalue()

    @api.model
    def _download_action(self, content, filename, record=None):
        """Store ``content`` as an attachment and return the action downloading it."""
        attachment = self.env["ir.attachment"].create(
            {
                "name": filename,
                "raw": content,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "res_model": record._name if record else False,
                "res_id": record.id if record else False,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }


class ReportSiteChargeNotice(models.AbstractModel):
    """Values of the printed charge notice: the notices, their month's lines, the site's
    account for transfers and the QR code images."""

    _name = "report.site_dues.report_site_charge_notice"
    _description = "Charge Notice Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        notices = self.env["site.charge.notice"].browse(docids)
        month_lines = notices._month_lines()
        return {
            "doc_ids": docids,
            "doc_model": "site.charge.notice",
            "docs": notices,
            "qr_code": self._qr_code,
            "bank_details": self._bank_details,
            "notice_lines": lambda notice: self._notice_lines(month_lines[notice]),
        }

    @api.model
    def _bank_details(self, notice):
        """The site's account for transfers: holder, IBAN in groups of four, bank; None
        when the site has no account yet."""
        company = notice.company_id.sudo()
        bank = company._site_notice_bank()
        if not bank:
            return None
        number = "".join((bank.acc_number or "").split())
        return {
            "holder": bank.acc_holder_name or company.name,
            "iban": " ".join(number[i : i + 4] for i in range(0, len(number), 4)),
            "bank": bank.bank_id.name or "",
            "bic": bank.bank_id.bic or "",
        }

    @api.model
    def _notice_lines(self, lines):
        """The month's charges and late fees to list, charges first; payments are in the
        notice's totals."""
        return lines.filtered("site_charge_type_id").sorted(
            lambda line: (
                line.site_charge_type_id.kind == "late_fee",
                line.date,
                line.site_charge_type_id.sequence,
                line.id,
            )
        )

    @api.model
    def _qr_code(self, notice):
        """{'payload', 'image' (PNG data URI), 'kind' ('bank' or 'link')} of a notice's
        QR code, or None when there is nothing to pay or the site's bank data is not
        valid (the notice is still printed, without the code)."""
        try:
            payload = notice._qr_payload()
        except ValueError as error:
            _logger.warning("Charge notice %s: no QR code: %s", notice.display_name, error)
            return None
        if not payload:
            return None
        kind = "link" if payload.startswith(notice.get_base_url()) else "bank"
        return {"payload": payload, "image": self._qr_data_uri(payload), "kind": kind}

    @api.model
    def _qr_data_uri(self, payload):
        """A QR code of ``payload`` as a base64 PNG data URI."""
        code = qrcode.QRCode(
            error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2
        )
        code.add_data(payload)
        code.make(fit=True)
        buffer = io.BytesIO()
        code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
