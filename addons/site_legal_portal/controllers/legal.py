"""The lawyers' pages of the portal.

A lawyer is a portal user; every route first finds the case among the caller's own
(``lawyer_user_id`` is the caller) and answers "not found" otherwise, for other lawyers
and residents alike, before anything is read or written with ``sudo()``.
"""

import base64
import uuid

import psycopg2
from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import float_is_zero

from odoo.addons.site_portal.controllers.portal import SitePortal

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


class SiteLegalPortal(SitePortal):
    # --- access --------------------------------------------------------------

    def _legal_case(self, case_id):
        """The caller's case (sudo); not found for anyone else's."""
        user = request.env.user
        case = request.env["site.legal.case"].sudo().browse(case_id).exists()
        if not case or user._is_public() or case.lawyer_user_id != user:
            raise NotFound()
        return case

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "site_legal_case_count" in counters:
            user = request.env.user
            values["site_legal_case_count"] = (
                0 if user._is_public() else len(request.env["site.legal.portal"]._cases(user))
            )
        return values

    # --- pages ---------------------------------------------------------------

    @http.route("/my/legal/cases", type="http", auth="user", website=True, methods=["GET"])
    def legal_cases(self, **kwargs):
        portal = request.env["site.legal.portal"]
        cases = portal._cases(request.env.user)
        if not cases:
            raise NotFound()
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="legal_cases",
            cases=cases,
            next_instalments=portal._next_instalments(cases),
        )
        return request.render("site_legal_portal.portal_legal_cases", values)

    @http.route(
        "/my/legal/cases/<int:case_id>", type="http", auth="user", website=True, methods=["GET"]
    )
    def legal_case(self, case_id, error=None, done=None, **kwargs):
        case = self._legal_case(case_id)
        return self._legal_case_page(case, error=error, done=done)

    def _legal_case_page(self, case, error=None, done=None):
        portal = request.env["site.legal.portal"]
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="legal_case",
            case=case,
            debts=portal._case_debts(case),
            statement=portal._debtor_statement(case),
            lawyer_statement=portal._lawyer_statement(case),
            instalments=case.instalment_ids.sorted(lambda i: (i.due_date, i.number)),
            entries=case.lawyer_entry_ids.filtered(lambda e: e.state == "posted"),
            documents=portal._documents(case),
            notes=portal._notes(case),
            stage_choices=portal._stage_choices(case),
            next_instalment=portal._next_instalments(case).get(case.id),
            form_token=uuid.uuid4().hex,
            today=fields.Date.context_today(case),
            error=error,
            done=done,
        )
        return request.render("site_legal_portal.portal_legal_case", values)

    @http.route(
        ["/my/legal/statement", "/my/legal/cases/<int:case_id>/statement"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def legal_statement(self, case_id=None, **kwargs):
        portal = request.env["site.legal.portal"]
        if case_id:
            cases = self._legal_case(case_id)
        else:
            cases = portal._cases(request.env.user)
            if not cases:
                raise NotFound()
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="legal_statement",
            case=cases if case_id else None,
            statement=portal._lawyer_statement(cases),
            currency=cases.currency_id[:1],
        )
        return request.render("site_legal_portal.portal_legal_statement", values)

    @http.route(
        "/my/legal/cases/<int:case_id>/statement.pdf",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def legal_debtor_statement_pdf(self, case_id, **kwargs):
        """The debtors' statement of the case's unit in legal follow-up (site_dues')."""
        case = self._legal_case(case_id)
        wizard = (
            request.env["site.statement.wizard"]
            .sudo()
            .create(
                {
                    "company_id": case.company_id.id,
                    "unit_id": case.unit_id.id,
                    "partner_id": case.partner_ids[:1].id,
                    "date_from": min(case.debt_line_ids.mapped("date") or [case.date_open]),
                    "date_to": fields.Date.context_today(case),
                    "account_scope": "legal",
                }
            )
        )
        return self._site_pdf(
            "site_dues.action_report_site_statement", wizard, f"{case.name} {case.unit_id.code}"
        )

    @http.route(
        "/my/legal/cases/<int:case_id>/documents/<int:attachment_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def legal_document(self, case_id, attachment_id, **kwargs):
        case = self._legal_case(case_id)
        attachment = (
            request.env["site.legal.portal"]
            ._documents(case)
            .filtered(lambda a: a.id == attachment_id)
        )
        if not attachment:
            raise NotFound()
        return (
            request.env["ir.binary"]._get_stream_from(attachment).get_response(as_attachment=True)
        )

    # --- forms ---------------------------------------------------------------

    def _redirect(self, case, anchor, error=None):
        if error:
            return self._legal_case_page(case, error=error)
        return request.redirect(f"/my/legal/cases/{case.id}?done={anchor}#{anchor}")

    @http.route(
        "/my/legal/cases/<int:case_id>/stage",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def legal_case_stage(self, case_id, stage=None, note=None, **kwargs):
        case = self._legal_case(case_id)
        if stage not in dict(request.env["site.legal.portal"]._stage_choices(case)):
            return self._redirect(case, "stage", request.env._("Stage: choose one of the list."))
        case._change_stage(stage, note=(note or "").strip() or False)
        return self._redirect(case, "stage")

    @http.route(
        "/my/legal/cases/<int:case_id>/expense",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def legal_case_expense(
        self, case_id, amount=None, date=None, description=None, charge_to=None, **kwargs
    ):
        case = self._legal_case(case_id)
        token = (kwargs.get("form_token") or "").strip()
        Entry = request.env["site.legal.lawyer.entry"].sudo()
        if token and Entry.search_count([("portal_token", "=", token)]):
            return self._redirect(case, "expenses")  # the same form sent again
        try:
            amount_value = float(amount or "")
        except ValueError:
            amount_value = 0.0
        if amount_value <= 0 or float_is_zero(amount_value, precision_digits=2):
            return self._redirect(case, "expenses", request.env._("Amount: enter an amount."))
        try:
            day = fields.Date.to_date(date) if date else None
        except ValueError:
            day = None
        if not day:
            return self._redirect(case, "expenses", request.env._("Date: enter a date."))
        if charge_to not in ("debtor", "site"):
            return self._redirect(
                case, "expenses", request.env._("Charged to: choose the debtor or the site.")
            )
        description = (description or "").strip()
        if not description:
            return self._redirect(
                case, "expenses", request.env._("Description: say what the expense was.")
            )
        try:
            with request.env.cr.savepoint():
                entry = Entry.create(
                    {
                        "case_id": case.id,
                        "kind": "expense",
                        "amount": amount_value,
                        "date": day,
                        "description": description,
                        "charge_to": charge_to,
                        "portal_token": token or False,
                    }
                )
                entry.action_post()
        except psycopg2.errors.UniqueViolation:
            return self._redirect(case, "expenses")  # sent twice at the same moment
        except (UserError, ValidationError) as error:
            return self._redirect(case, "expenses", str(error))
        return self._redirect(case, "expenses")

    @http.route(
        "/my/legal/cases/<int:case_id>/note",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def legal_case_note(self, case_id, note=None, **kwargs):
        case = self._legal_case(case_id)
        note = (note or "").strip()
        if not note:
            return self._redirect(case, "notes", request.env._("Note: write something."))
        case.message_post(
            body=note,
            author_id=request.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return self._redirect(case, "notes")

    @http.route(
        "/my/legal/cases/<int:case_id>/document",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def legal_case_document(self, case_id, document=None, **kwargs):
        case = self._legal_case(case_id)
        content = document.read() if document and getattr(document, "filename", None) else b""
        if not content:
            return self._redirect(case, "documents", request.env._("Document: choose a file."))
        if len(content) > MAX_DOCUMENT_BYTES:
            return self._redirect(
                case, "documents", request.env._("Document: the file is larger than 20 MB.")
            )
        attachment = (
            request.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": document.filename,
                    "datas": base64.b64encode(content),
                    "res_model": "site.legal.case",
                    "res_id": case.id,
                }
            )
        )
        case.message_post(
            body=request.env._("Document added: %(name)s", name=attachment.name),
            author_id=request.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            attachment_ids=attachment.ids,
        )
        return self._redirect(case, "documents")
