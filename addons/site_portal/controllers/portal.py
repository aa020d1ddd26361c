"""Routes of the residents' portal.

Every route first finds the caller's units from their own relations
(``site.portal._access``) and answers "not found" for any record outside them, before
anything is read with ``sudo()``. A charge notice also opens with its access token (the
link printed on it), and a signed pay link pays without logging in.
"""

import re
from collections import defaultdict
from datetime import date

from werkzeug.exceptions import NotFound

from odoo import Command, fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import content_disposition, request
from odoo.tools import consteq

from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment.controllers.portal import PaymentPortal


class SitePortal(PaymentPortal):
    # --- access --------------------------------------------------------------

    def _site_accesses(self):
        user = request.env.user
        if user._is_public():
            return {}
        return request.env["site.portal"]._access(user.partner_id)

    def _site_unit(self, unit_id, current=False):
        """The caller's unit (sudo) and their access to it; not found otherwise."""
        unit_access = self._site_accesses().get(unit_id)
        if not unit_access or (current and not unit_access.current):
            raise NotFound()
        return request.env["site.unit"].sudo().browse(unit_id), unit_access

    def _site_meter(self, meter_id):
        """A meter of a unit the caller holds today (sudo); not found otherwise."""
        accesses = {
            unit_id: access for unit_id, access in self._site_accesses().items() if access.current
        }
        meter = request.env["site.portal"]._meters(accesses).filtered(lambda m: m.id == meter_id)
        if not meter:
            raise NotFound()
        return meter, accesses[meter.unit_id.id]

    def _site_pdf(self, report_ref, records, name, download=False):
        report = request.env["ir.actions.report"].sudo().with_company(records.company_id[:1])
        pdf, _kind = report._render_qweb_pdf(report_ref, records.ids)
        filename = re.sub(r"[^\w\-. ]+", "_", name or "document").strip() + ".pdf"
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                (
                    "Content-Disposition",
                    content_disposition(filename, "attachment" if download else "inline"),
                ),
            ],
        )

    # --- home ----------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        accesses = self._site_accesses() if not request.env.user._is_public() else {}
        portal = request.env["site.portal"]
        if "site_unit_count" in counters:
            values["site_unit_count"] = len(accesses)
        if "site_notice_count" in counters:
            values["site_notice_count"] = len(portal._notices(accesses)) if accesses else 0
        if not counters and accesses:
            cards = portal._unit_cards(accesses)
            values.update(
                site_cards=cards,
                site_pay_all=self._site_pay_all(cards),
                site_notices=portal._notices(accesses, limit=3),
                site_expense_notices=portal._expense_notices(accesses, limit=3),
            )
        return values

    @staticmethod
    def _site_pay_all(cards):
        """[{'company', 'count', 'amount', 'currency'}] of the sites where the person has
        several units to pay for: one "Pay all" each (a payment pays one site)."""
        by_site = defaultdict(list)
        for card in cards:
            if card["payable"] > 0 and card["access"].payer_id:
                by_site[card["unit"].company_id].append(card)
        return [
            {
                "company": company,
                "count": len(site_cards),
                "amount": company.currency_id.round(sum(card["payable"] for card in site_cards)),
                "currency": company.currency_id,
            }
            for company, site_cards in by_site.items()
            if len(site_cards) > 1
        ]

    # --- units ---------------------------------------------------------------

    @http.route(
        "/my/site/units/<int:unit_id>", type="http", auth="user", website=True, methods=["GET"]
    )
    def site_unit(self, unit_id, year=None, **kwargs):
        unit, unit_access = self._site_unit(unit_id)
        portal = request.env["site.portal"]
        today = fields.Date.context_today(unit)
        try:
            year = int(year) if year else today.year
        except ValueError:
            year = today.year
        year = min(max(year, 1990), today.year)
        first_year = min(start for start, _end in unit_access.periods).year
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="site_unit",
            unit=unit,
            unit_access=unit_access,
            card=portal._unit_cards({unit_id: unit_access})[0],
            statements=portal._statements(
                unit, unit_access, date(year, 1, 1), min(date(year, 12, 31), today)
            ),
            year=year,
            years=list(range(today.year, max(first_year, today.year - 10) - 1, -1)),
            notices=portal._notices({unit_id: unit_access}, year=year),
            expense_notices=portal._expense_notices({unit_id: unit_access}, year=year),
            payments=portal._payments(unit_access, year=year),
            meters=portal._meters([unit_id]) if unit_access.current else request.env["site.meter"],
        )
        return request.render("site_portal.portal_site_unit", values)

    @http.route(
        "/my/site/units/<int:unit_id>/expense/<int:allocation_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def site_expense_notice(self, unit_id, allocation_id, download=None, **kwargs):
        unit, unit_access = self._site_unit(unit_id)
        rows = [
            lines
            for _unit, allocation, lines in request.env["site.portal"]._expense_notices(
                {unit_id: unit_access}
            )
            if allocation.id == allocation_id
        ]
        if not rows:
            raise NotFound()
        return self._site_pdf(
            "site_metering.action_report_expense_notice_line",
            rows[0],
            rows[0][:1]._report_file_name(),
            download=bool(download),
        )

    @http.route(
        "/my/site/payments/<int:payment_id>/receipt",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def site_payment_receipt(self, payment_id, download=None, **kwargs):
        accesses = self._site_accesses()
        payment = request.env["account.payment"]
        for unit_access in accesses.values():
            payment = (
                request.env["site.portal"]
                ._payments(unit_access)
                .filtered(lambda p: p.id == payment_id)
            )
            if payment:
                break
        if not payment:
            raise NotFound()
        return self._site_pdf(
            "site_portal.action_report_payment_receipt",
            payment,
            request.env._("Receipt %(name)s", name=payment.name),
            download=bool(download),
        )

    # --- charge notices --------------------------------------------------------

    def _site_notice(self, notice_id, access_token=None):
        """The notice (sudo) if it is one of the caller's, or ``access_token`` is its own
        (the link printed on it); not found otherwise."""
        accesses = self._site_accesses()
        if accesses:
            notice = (
                request.env["site.portal"]._notices(accesses).filtered(lambda n: n.id == notice_id)
            )
            if notice:
                return notice
        if access_token:
            notice = request.env["site.charge.notice"].sudo().browse(notice_id).exists()
            if notice and notice.access_token and consteq(notice.access_token, access_token):
                return notice
        raise NotFound()

    @http.route(
        "/my/site/notices/<int:notice_id>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def site_notice(self, notice_id, access_token=None, report_type=None, download=None, **kw):
        notice = self._site_notice(notice_id, access_token)
        if report_type == "pdf":
            return self._site_pdf(
                "site_dues.action_report_site_charge_notice",
                notice,
                notice._report_file_name(),
                download=bool(download),
            )
        values = (
            self._prepare_portal_layout_values()
            if not request.env.user._is_public()
            else {"no_breadcrumbs": True}
        )
        due = request.env["site.portal"]._amount_due(notice.unit_id, notice.partner_id)
        values.update(
            page_name="site_notice",
            notice=notice,
            access_token=access_token,
            amount_due=due,
            token_query=f"?access_token={access_token}" if access_token else "",
        )
        return request.render("site_portal.portal_site_notice", values)

    @http.route(
        "/my/site/notices/<int:notice_id>/form",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def site_notice_form(self, notice_id, access_token=None, download=None, **kwargs):
        """The transfer form of the notice's month, for what is still open of it."""
        notice = self._site_notice(notice_id, access_token)
        return self._site_pdf(
            "site_portal.action_report_payment_form",
            notice,
            request.env._("Payment Form %(name)s", name=notice.name),
            download=bool(download),
        )

    @http.route(
        "/my/site/notices/<int:notice_id>/pay",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def site_notice_pay(self, notice_id, access_token=None, **kwargs):
        notice = self._site_notice(notice_id, access_token)
        portal = request.env["site.portal"]
        due = portal._amount_due(notice.unit_id, notice.partner_id)
        if due <= 0:
            query = f"?access_token={access_token}" if access_token else ""
            return request.redirect(f"/my/site/notices/{notice.id}{query}")
        token = portal._make_pay_link(notice.unit_id, notice.partner_id, due)
        return request.redirect(f"/site/pay/{token}")

    # --- paying ----------------------------------------------------------------

    def _site_pay_groups(self, accesses):
        """[{'unit', 'payer', 'lines', 'due'}] of the units in ``accesses`` the caller can
        pay for: the payer's open debts of each unit (outside legal follow-up)."""
        portal = request.env["site.portal"]
        units = request.env["site.unit"].sudo().browse(list(accesses))
        Partner = request.env["res.partner"].sudo()
        pairs = [
            (unit, Partner.browse(accesses[unit.id].payer_id))
            for unit in units.sorted("code_sort")
            if accesses[unit.id].payer_id
        ]
        due = portal._amounts_due(pairs)
        return [
            {
                "unit": unit,
                "payer": payer,
                "lines": portal._open_lines(accesses[unit.id]).filtered(
                    lambda line, payer=payer: line.partner_id == payer
                ),
                "due": due[(unit.id, payer.id)],
            }
            for unit, payer in pairs
        ]

    def _site_pay_choice(self, accesses, action, title, unit=None):
        """GET: the caller's open debts of these units (of one site) to choose from;
        POST: pay the chosen ones through one pay link bound to each unit's part of
        them (each capped at what is due); none chosen: every unit's whole balance."""
        groups = self._site_pay_groups(accesses)
        if request.httprequest.method == "POST":
            chosen_ids = {
                int(value)
                for value in request.httprequest.form.getlist("line_ids")
                if value.isdigit()
            }
            # Only the caller's own lines count as chosen; none of them: pay everything.
            chosen_ids &= {line.id for group in groups for line in group["lines"]}
            items = []
            for group in groups:
                unit = group["unit"]
                chosen = group["lines"].filtered(lambda line: line.id in chosen_ids)
                amount = (
                    min(unit.currency_id.round(sum(chosen.mapped("amount_residual"))), group["due"])
                    if chosen_ids
                    else group["due"]
                )
                if amount > 0:
                    items.append((unit, group["payer"], amount))
            if not items:
                return request.redirect("/my")
            token = request.env["site.portal"]._make_pay_link_items(items)
            return request.redirect(f"/site/pay/{token}")
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="site_pay",
            unit=unit,
            pay_title=title,
            pay_action=action,
            groups=groups,
            amount_due=sum(group["due"] for group in groups if group["due"] > 0),
            currency=groups[0]["unit"].currency_id if groups else request.env.company.currency_id,
        )
        return request.render("site_portal.portal_site_pay_choose", values)

    @http.route(
        "/my/site/units/<int:unit_id>/pay",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def site_unit_pay(self, unit_id, **post):
        """The person's open debts of one unit, to pay all or some of them."""
        unit, unit_access = self._site_unit(unit_id)
        return self._site_pay_choice(
            {unit_id: unit_access},
            f"/my/site/units/{unit.id}/pay",
            request.env._("Pay for %(unit)s", unit=unit.code),
            unit=unit,
        )

    @http.route(
        "/my/site/sites/<int:company_id>/pay",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def site_pay_all(self, company_id, **post):
        """Pay all: the person's units of one site in one payment (one per unit once
        confirmed), all of their debts or chosen ones."""
        accesses = {
            unit_id: unit_access
            for unit_id, unit_access in self._site_accesses().items()
            if unit_access.payer_id
        }
        units = request.env["site.unit"].sudo().browse(list(accesses))
        in_site = units.filtered(lambda unit: unit.company_id.id == company_id)
        if not in_site:
            raise NotFound()
        return self._site_pay_choice(
            {unit.id: accesses[unit.id] for unit in in_site},
            f"/my/site/sites/{company_id}/pay",
            request.env._("Pay all: %(site)s", site=in_site.company_id.name),
        )

    def _site_pay_values(self, items, summary, token):
        units = request.env["site.unit"].browse()
        for item in items:
            units |= item["unit"]
        company = units.company_id
        currency = units.currency_id
        partner = items[0]["partner"]
        amount = summary["total"]
        accesses = self._site_accesses()
        availability_report = {}
        providers_sudo = (
            request.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                company.id,
                partner.id,
                amount,
                currency_id=currency.id,
                report=availability_report,
            )
        )
        payment_methods_sudo = (
            request.env["payment.method"]
            .sudo()
            ._get_compatible_payment_methods(
                providers_sudo.ids,
                partner.id,
                currency_id=currency.id,
                report=availability_report,
            )
        )
        return {
            "page_name": "site_pay",
            # The breadcrumb to the unit, for its own people only.
            "unit": units if len(units) == 1 and units.id in accesses else None,
            "units": units,
            "items": [item for item in items if item["amount"] > 0],
            "summary": summary,
            "payer": partner,
            # Whoever holds a link pays with it: the payer's name in full only for the
            # units' own people.
            "payer_name": partner.name
            if all(unit.id in accesses for unit in units)
            else request.env["site.portal"]._masked_name(partner.name),
            "res_company": company,
            "company_mismatch": False,
            "expected_company": company,
            "partner_is_different": False,
            "show_tokenize_input_mapping": dict.fromkeys(providers_sudo.ids, False),
            "reference_prefix": self._site_reference_prefix(units),
            "amount": amount,
            "currency": currency,
            "partner_id": partner.id,
            "providers_sudo": providers_sudo,
            "payment_methods_sudo": payment_methods_sudo,
            "tokens_sudo": request.env["payment.token"],
            "availability_report": availability_report,
            "transaction_route": f"/site/pay/{token}/transaction",
            "landing_route": "/site/pay/receipt",
            "access_token": payment_utils.generate_access_token(partner.id, amount, currency.id),
        }

    @staticmethod
    def _site_reference_prefix(units):
        if len(units) == 1:
            return f"{units.code}-{units.payment_reference or units.id}"
        return "+".join(units.mapped("code"))[:40]

    @http.route(
        "/site/pay/<string:token>", type="http", auth="public", website=True, methods=["GET"]
    )
    def site_pay(self, token, **kwargs):
        found = request.env["site.portal"]._read_pay_link(token)
        if not found:
            raise NotFound()
        _units, _partners, _amount, items = found
        values = (
            self._prepare_portal_layout_values()
            if not request.env.user._is_public()
            else {"no_breadcrumbs": True}
        )
        summary = request.env["site.portal"]._pay_summary(items)
        values.update(self._site_pay_values(items, summary, token))
        return request.render("site_portal.portal_site_pay", values)

    @http.route("/site/pay/<string:token>/transaction", type="jsonrpc", auth="public")
    def site_pay_transaction(self, token, **kwargs):
        """Create the transaction of a pay link: the units, partners and amounts come
        from the signed link (and what is still due), the fee from the site's settings,
        never from the browser."""
        portal = request.env["site.portal"]
        found = portal._read_pay_link(token)
        if not found:
            raise NotFound()
        units, _partners, _amount, items = found
        summary = portal._pay_summary(items)
        if summary["total"] <= 0:
            raise ValidationError(request.env._("Nothing is due on this pay link any more."))
        items = [item for item in items if item["amount"] > 0]
        partner = items[0]["partner"]
        kwargs.pop("access_token", None)
        kwargs.pop("amount", None)
        self._validate_transaction_kwargs(kwargs)
        # Only the site's own providers: the money goes to the units' site.
        providers = (
            request.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                units.company_id.id, partner.id, summary["total"], currency_id=units.currency_id.id
            )
        )
        provider_id = self._cast_as_int(kwargs.get("provider_id"))
        method_id = self._cast_as_int(kwargs.get("payment_method_id"))
        provider = providers.filtered(lambda p: p.id == provider_id)
        if not provider or method_id not in provider.payment_method_ids.ids:
            raise ValidationError(request.env._("This payment method is not available here."))
        if kwargs.get("flow") == "token" or kwargs.get("is_validation"):
            raise ValidationError(request.env._("This payment cannot use a saved card."))
        kwargs.update(tokenization_requested=False, landing_route="/site/pay/receipt")
        paid_units = (
            request.env["site.unit"].sudo().browse(dict.fromkeys(item["unit"].id for item in items))
        )
        tx_sudo = self._create_transaction(
            amount=summary["total"],
            currency_id=units.currency_id.id,
            partner_id=partner.id,
            reference_prefix=self._site_reference_prefix(paid_units),
            custom_create_values={
                "site_unit_id": paid_units[:1].id,
                "site_unit_ids": [Command.set(paid_units.ids)],
                "site_split": [
                    [item["unit"].id, item["partner"].id, item["amount"]] for item in items
                ],
                "site_fee_amount": summary["fee"],
            },
            **kwargs,
        )
        signature = payment_utils.generate_access_token(tx_sudo.id, "site_receipt")
        tx_sudo.landing_route = f"/site/pay/receipt/{tx_sudo.id}/{signature}"
        return tx_sudo._get_processing_values()

    @http.route(
        "/site/pay/receipt/<int:tx_id>/<string:signature>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def site_pay_receipt(self, tx_id, signature, report_type=None, **kwargs):
        if not payment_utils.check_access_token(signature, tx_id, "site_receipt"):
            raise NotFound()
        tx = request.env["payment.transaction"].sudo().browse(tx_id).exists()
        if not tx or not tx.site_unit_id:
            raise NotFound()
        if not tx.is_post_processed and tx.state == "done":
            tx._post_process()
        unit_payments = tx.site_payment_ids.filtered(lambda p: not p.site_portal_fee)
        if report_type == "pdf":
            if not unit_payments:
                raise NotFound()
            return self._site_pdf(
                "site_portal.action_report_payment_receipt",
                unit_payments,
                request.env._("Receipt %(name)s", name=tx.reference),
            )
        values = (
            self._prepare_portal_layout_values()
            if not request.env.user._is_public()
            else {"no_breadcrumbs": True}
        )
        units = tx.site_unit_ids or tx.site_unit_id
        accesses = self._site_accesses()
        units_by_id = {unit.id: unit for unit in units}
        values.update(
            page_name="site_pay",
            tx=tx,
            unit=units if len(units) == 1 else None,
            units=units,
            split=[
                (units_by_id[unit_id], amount)
                for unit_id, _partner_id, amount in tx.site_split or ()
                if unit_id in units_by_id
            ],
            own_unit=len(units) == 1 and units.id in accesses,
            own_any=any(unit.id in accesses for unit in units),
            has_receipt=bool(unit_payments),
            signature=signature,
        )
        return request.render("site_portal.portal_site_pay_receipt", values)

    # --- the pay widget on the site's own website --------------------------------

    def _site_widget_company(self, company_id):
        company = request.env["res.company"].sudo().browse(company_id).exists()
        if not company or not company.is_site:
            raise NotFound()
        return company

    @staticmethod
    def _site_widget_source(company):
        return (company.id, request.httprequest.remote_addr or "")

    def _site_widget_render(self, company, **values):
        """The widget page, framable by the site's own websites only."""
        response = request.render(
            "site_portal.site_pay_widget", {"company": company, "res_company": company, **values}
        )
        origins = " ".join((company.site_pay_widget_origins or "").split())
        response.headers["Content-Security-Policy"] = f"frame-ancestors 'self' {origins}".strip()
        response.headers.pop("X-Frame-Options", None)
        response.headers["Cache-Control"] = "no-store"
        return response

    # GET: the form; POST: the look-up. A form framed on another website, where Odoo's
    # session cookie is not sent (it is SameSite=Lax), so no CSRF token can be checked;
    # it acts for nobody: it only answers with a pay link for the unit whose code and
    # payment reference are both typed, and refused look-ups are throttled per address.
    @http.route(
        "/site/<int:company_id>/pay-widget",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        csrf=False,
        sitemap=False,
    )
    def site_pay_widget(self, company_id, code=None, reference=None, **kwargs):
        company = self._site_widget_company(company_id)
        if request.httprequest.method != "POST":
            return self._site_widget_render(company)
        portal = request.env["site.portal"]
        source = self._site_widget_source(company)
        wait = portal._widget_wait(source)
        if wait:
            return self._site_widget_render(
                company, code=code, wait_minutes=max(1, round(wait / 60))
            )
        items = portal._widget_items(company, code, reference)
        if items is None:
            portal._widget_refused(source)
            return self._site_widget_render(company, code=code, refused=True)
        values = {"code": code, "matched": True}
        if items:
            token = portal._make_pay_link_items(items, hours=1)
            pay_items = [
                {"unit": unit, "partner": partner, "amount": amount}
                for unit, partner, amount in items
            ]
            values.update(
                unit=items[0][0],
                payer_name=portal._masked_name(items[0][1].name),
                summary=portal._pay_summary(pay_items),
                pay_url=f"/site/pay/{token}",
            )
        return self._site_widget_render(company, **values)

    # --- meters ------------------------------------------------------------------

    @http.route("/my/site/meters", type="http", auth="user", website=True, methods=["GET"])
    def site_meters(self, **kwargs):
        accesses = {uid: a for uid, a in self._site_accesses().items() if a.current}
        portal = request.env["site.portal"]
        meters = portal._meters(accesses)
        units = request.env["site.unit"].sudo().browse(list(accesses))
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="site_meters",
            meters_by_unit=[
                (unit, meters.filtered(lambda m, u=unit: m.unit_id == u)) for unit in units
            ],
            windows={unit.id: portal._reading_window(unit.company_id) for unit in units},
        )
        return request.render("site_portal.portal_site_meters", values)

    @http.route(
        "/my/site/meters/<int:meter_id>", type="http", auth="user", website=True, methods=["GET"]
    )
    def site_meter(self, meter_id, submitted=None, **kwargs):
        meter, _unit_access = self._site_meter(meter_id)
        reading = request.env["site.meter.reading"]
        if submitted and str(submitted).isdigit():
            reading = (
                request.env["site.portal"]
                ._readings(meter)
                .filtered(lambda r: r.id == int(submitted))
            )
        return self._site_meter_page(meter, submitted=reading)

    def _site_meter_page(self, meter, error=None, submitted=None):
        portal = request.env["site.portal"]
        readings = portal._readings(meter)
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="site_meter",
            meter=meter,
            unit=meter.unit_id,
            readings=readings,
            photos=portal._photos(readings),
            window=portal._reading_window(meter.company_id),
            consumption=portal._consumption_chart(meter.unit_id, meter.kind),
            error=error,
            submitted=submitted,
            wait=portal._reading_wait(request.env.user),
        )
        return request.render("site_portal.portal_site_meter", values)

    @http.route(
        "/my/site/meters/<int:meter_id>/reading",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def site_meter_reading(self, meter_id, value=None, photo=None, **kwargs):
        meter, _unit_access = self._site_meter(meter_id)
        upload = None
        if photo and getattr(photo, "filename", None):
            upload = (photo.filename, photo.mimetype, photo.read())
        try:
            with request.env.cr.savepoint():
                reading = request.env["site.portal"]._submit_reading(meter, value, upload)
        except (UserError, ValidationError) as error:
            return self._site_meter_page(meter, error=error.args[0])
        return request.redirect(f"/my/site/meters/{meter.id}?submitted={reading.id}")

    @http.route(
        "/my/site/meters/<int:meter_id>/photos/<int:attachment_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def site_meter_photo(self, meter_id, attachment_id, **kwargs):
        meter, _unit_access = self._site_meter(meter_id)
        readings = request.env["site.portal"]._readings(meter, limit=None)
        photo = request.env["site.portal"]._photos(readings)
        attachment = next((a for a in photo.values() if a.id == attachment_id), None)
        if not attachment:
            raise NotFound()
        return request.make_response(
            attachment.raw,
            headers=[
                ("Content-Type", attachment.mimetype or "application/octet-stream"),
                ("X-Content-Type-Options", "nosniff"),
                ("Cache-Control", "private, max-age=3600"),
            ],
        )

    @http.route(
        "/my/site/units/<int:unit_id>/consumption",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def site_consumption(self, unit_id, **kwargs):
        unit, _unit_access = self._site_unit(unit_id, current=True)
        portal = request.env["site.portal"]
        meters = portal._meters([unit.id])
        kinds = dict(meters._fields["kind"]._description_selection(request.env))
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="site_consumption",
            unit=unit,
            charts=[
                (kinds[kind], portal._consumption_chart(unit, kind))
                for kind in sorted(set(meters.mapped("kind")), key=list(kinds).index)
            ],
        )
        return request.render("site_portal.portal_site_consumption", values)
