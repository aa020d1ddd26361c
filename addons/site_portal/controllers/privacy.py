"""The person's privacy page: the sites' privacy notices, their consents (given or
withdrawn on the portal, each change recorded with its date and channel) and a download
of their own data (KVKK article 11, GDPR articles 15 and 20).

Everything here is read for the caller's own partner only: the rows are searched by
their partner, user or unit access before ``sudo()`` reads them, and the export's
assembly (``engine/personal_data``) drops any row that is not theirs.
"""

import re

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.http import content_disposition, request

from ..engine import personal_data
from .portal import SitePortal

# Site management needs the residents' data by law and contract: it is shown, not
# withdrawn on the portal. The other purposes are the person's choice.
REQUIRED_PURPOSE = "management"
LAW_BY_COUNTRY = {"TR": "kvkk", "UA": "ua_pdp"}


class SitePrivacyPortal(SitePortal):
    # --- consents ---------------------------------------------------------------

    def _site_privacy_sites(self):
        """The sites of the caller's units (sudo), those they hold a unit in today first."""
        accesses = self._site_accesses()
        units = request.env["site.unit"].sudo().browse(list(accesses))
        current = units.filtered(lambda u: accesses[u.id].current).company_id
        return current, units.company_id - current

    def _site_consents(self, partner):
        return (
            request.env["site.privacy.consent"]
            .sudo()
            .search([("partner_id", "=", partner.id)], order="date_given desc, id desc")
        )

    @staticmethod
    def _site_consent_in_force(consent, today):
        return consent.date_given <= today and (
            not consent.date_withdrawn or consent.date_withdrawn > today
        )

    def _site_consent_rows(self, site, consents, today):
        """One row per purpose: its latest consent of ``site`` and whether it is in force."""
        Consent = request.env["site.privacy.consent"]
        purposes = Consent._fields["purpose"]._description_selection(request.env)
        rows = []
        for purpose, label in purposes:
            mine = consents.filtered(lambda c, p=purpose: c.company_id == site and c.purpose == p)
            rows.append(
                {
                    "purpose": purpose,
                    "label": label,
                    "required": purpose == REQUIRED_PURPOSE,
                    "latest": mine[:1],
                    "in_force": any(self._site_consent_in_force(c, today) for c in mine),
                }
            )
        return rows

    @http.route("/my/site/privacy", type="http", auth="user", website=True, methods=["GET"])
    def site_privacy(self, updated=None, **kwargs):
        partner = request.env.user.partner_id
        current, former = self._site_privacy_sites()
        consents = self._site_consents(partner)
        today = fields.Date.context_today(request.env.user)
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="site_privacy",
            sites=[
                {
                    "site": site,
                    "current": site in current,
                    "notice": site.with_context(lang=request.env.lang).site_privacy_notice,
                    "rows": self._site_consent_rows(site, consents, today),
                }
                for site in (current | former)
            ],
            history=consents,
            updated=updated,
        )
        return request.render("site_portal.portal_site_privacy", values)

    @http.route(
        "/my/site/privacy/consent", type="http", auth="user", website=True, methods=["POST"]
    )
    def site_privacy_consent(self, company_id=None, purpose=None, action=None, **kwargs):
        """Give or withdraw an optional consent for a site the caller lives in today."""
        current, _former = self._site_privacy_sites()
        site = current.filtered(lambda s: str(s.id) == str(company_id))
        Consent = request.env["site.privacy.consent"].sudo()
        purposes = dict(Consent._fields["purpose"]._description_selection(request.env))
        if not site or purpose not in purposes or purpose == REQUIRED_PURPOSE:
            raise NotFound()
        if action not in ("give", "withdraw"):
            raise NotFound()
        partner = request.env.user.partner_id
        today = fields.Date.context_today(request.env.user)
        consents = self._site_consents(partner).filtered(
            lambda c: c.company_id == site and c.purpose == purpose
        )
        open_consents = consents.filtered(
            lambda c: not c.date_withdrawn or c.date_withdrawn > today
        )
        if action == "give" and not any(self._site_consent_in_force(c, today) for c in consents):
            law = consents[:1].law or LAW_BY_COUNTRY.get(site.country_id.code, "gdpr")
            Consent.create(
                {
                    "partner_id": partner.id,
                    "company_id": site.id,
                    "law": law,
                    "purpose": purpose,
                    "date_given": today,
                    "channel": "portal",
                }
            )
            message = request.env._(
                "Consent given on the portal: %(purpose)s (%(site)s).",
                purpose=purposes[purpose],
                site=site.name,
            )
        elif action == "withdraw" and open_consents:
            for consent in open_consents:
                consent.date_withdrawn = max(today, consent.date_given)
            message = request.env._(
                "Consent withdrawn on the portal: %(purpose)s (%(site)s).",
                purpose=purposes[purpose],
                site=site.name,
            )
        else:
            return request.redirect("/my/site/privacy")
        # The partner's chatter keeps who changed what, when and where.
        partner.sudo()._message_log(body=message)
        return request.redirect(f"/my/site/privacy?updated={purpose}")

    # --- own data ---------------------------------------------------------------

    @http.route("/my/site/privacy/export", type="http", auth="user", website=True, methods=["GET"])
    def site_privacy_export(self, **kwargs):
        user = request.env.user
        partner = user.partner_id
        accesses = self._site_accesses()
        document = personal_data.assemble(
            self._site_export_person(partner),
            self._site_export_rows(partner, user, accesses),
            accesses,
            partner.sudo().user_ids.ids,
            fields.Datetime.now(),
        )
        data = personal_data.dumps(document)
        filename = "{}-{}.json".format(
            re.sub(r"[^\w\-]+", "-", request.env._("my-data")).strip("-") or "my-data",
            fields.Date.context_today(user),
        )
        return request.make_response(
            data,
            headers=[
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Length", len(data)),
                ("Content-Disposition", content_disposition(filename)),
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )

    def _site_labels(self, model, field_name):
        return dict(request.env[model]._fields[field_name]._description_selection(request.env))

    def _site_export_person(self, partner):
        partner = partner.sudo()
        row = {key: partner[key] for key in personal_data.PERSON_KEYS if key in partner._fields}
        row.update(id=partner.id, country=partner.country_id.name)
        if partner.blood_group:
            row["blood_group"] = self._site_labels("res.partner", "blood_group")[
                partner.blood_group
            ]
        return row

    def _site_export_rows(self, partner, user, accesses):
        """The person's rows of each section, searched by their partner, users or unit
        access (sudo after that)."""
        env = request.env
        portal = env["site.portal"]
        roles = self._site_labels("site.unit.relation", "role")
        rows = {
            "unit_relations": [
                {
                    "partner_id": r.partner_id.id,
                    "site": r.company_id.name,
                    "unit": r.unit_id.code,
                    "role": roles[r.role],
                    "share": r.share or None,
                    "date_from": r.date_from,
                    "date_to": r.date_to,
                    "lives_here": r.lives_here,
                    "household_of": r.related_partner_id.name,
                }
                for r in env["site.unit.relation"]
                .sudo()
                .search([("partner_id", "=", partner.id)], order="date_from, id")
            ],
            "persons_declarations": [
                {
                    "declared_by_id": d.declared_by_id.id,
                    "site": d.company_id.name,
                    "unit": d.unit_id.code,
                    "date": d.date,
                    "persons": d.persons,
                    "note": d.note,
                }
                for d in env["site.unit.persons"]
                .sudo()
                .search([("declared_by_id", "=", partner.id)], order="date, id")
            ],
        }
        laws = self._site_labels("site.privacy.consent", "law")
        purposes = self._site_labels("site.privacy.consent", "purpose")
        channels = self._site_labels("site.privacy.consent", "channel")
        rows["privacy_consents"] = [
            {
                "partner_id": c.partner_id.id,
                "site": c.company_id.name,
                "law": laws.get(c.law),
                "purpose": purposes.get(c.purpose),
                "date_given": c.date_given,
                "date_withdrawn": c.date_withdrawn,
                "channel": channels.get(c.channel),
            }
            for c in self._site_consents(partner)
        ]
        rows["ledger_lines"] = []
        rows["payments"] = []
        for unit_access in accesses.values():
            lines = (
                env["account.move.line"]
                .sudo()
                .search(portal._ledger_domain(unit_access), order="date, id")
            )
            rows["ledger_lines"] += [
                {
                    "unit_id": line.site_unit_id.id,
                    "partner_id": line.partner_id.id,
                    "site": line.company_id.name,
                    "unit": line.site_unit_id.code,
                    "date": line.date,
                    "due_date": line.date_maturity,
                    "reference": line.move_id.name,
                    "description": line.name,
                    "debit": line.debit,
                    "credit": line.credit,
                    "open_amount": line.amount_residual,
                    "currency": line.company_currency_id.name,
                }
                for line in lines
            ]
            rows["payments"] += [
                {
                    "unit_id": payment.site_unit_id.id,
                    "partner_id": payment.partner_id.id,
                    "site": payment.company_id.name,
                    "unit": payment.site_unit_id.code,
                    "date": payment.date,
                    "reference": payment.name,
                    "amount": payment.amount,
                    "currency": payment.currency_id.name,
                    "method": payment.journal_id.name,
                }
                for payment in portal._payments(unit_access).sorted(lambda p: (p.date, p.id))
            ]
        kinds = self._site_labels("site.meter", "kind")
        reading_states = self._site_labels("site.meter.reading", "state")
        sources = self._site_labels("site.meter.reading", "source")
        rows["meter_readings"] = [
            {
                "reader_id": reading.reader_id.id,
                "site": reading.meter_id.company_id.name,
                "unit": reading.meter_id.unit_id.code,
                "meter": reading.meter_id.serial,
                "kind": kinds.get(reading.meter_id.kind),
                "date": reading.date,
                "value": reading.value,
                "state": reading_states.get(reading.state),
                "source": sources.get(reading.source),
            }
            for reading in env["site.meter.reading"]
            .sudo()
            .search([("reader_id", "in", partner.sudo().user_ids.ids)], order="date, id")
        ]
        rows["change_requests"] = self._site_export_requests(partner)
        rows["vehicles"] = [
            {
                "partner_id": v.partner_id.id,
                "plate": v.plate,
                "make": v.make,
                "model": v.model,
                "colour": v.colour,
                "parking_place": v.parking_place or v.parking_unit_id.code,
            }
            for v in env["site.vehicle"].sudo().search([("partner_id", "=", partner.id)])
        ]
        species = self._site_labels("site.pet", "species")
        rows["pets"] = [
            {
                "partner_id": p.partner_id.id,
                "name": p.name,
                "species": species.get(p.species),
                "breed": p.breed,
                "chip_number": p.chip_number,
                "vaccination_date": p.vaccination_date,
            }
            for p in env["site.pet"].sudo().search([("partner_id", "=", partner.id)])
        ]
        relations = self._site_labels("site.emergency.contact", "relation")
        # The contact's name and relation only: their phone is their own data.
        rows["emergency_contacts"] = [
            {
                "partner_id": c.partner_id.id,
                "name": c.contact_id.name,
                "relation": relations.get(c.relation),
            }
            for c in env["site.emergency.contact"].sudo().search([("partner_id", "=", partner.id)])
        ]
        return rows

    def _site_export_requests(self, partner):
        Request = request.env["site.change.request"]
        kinds = self._site_labels("site.change.request", "kind")
        states = self._site_labels("site.change.request", "state")
        member_roles = self._site_labels("site.change.request", "member_role")
        detail_fields = {
            "contact": ("new_phone", "new_email", "new_street", "new_zip", "new_city"),
            "member_add": ("member_name", "member_phone", "member_role", "member_date_from"),
            "member_leave": ("leave_date",),
            "persons": ("persons", "persons_date"),
        }
        rows = []
        for change in Request.sudo().search([("partner_id", "=", partner.id)], order="id"):
            details = {
                Request._fields[name]._description_string(request.env): (
                    member_roles[change[name]] if name == "member_role" else change[name]
                )
                for name in detail_fields[change.kind]
                if change[name] or name == "persons"
            }
            rows.append(
                {
                    "partner_id": change.partner_id.id,
                    "site": change.company_id.name,
                    "unit": change.unit_id.code,
                    "kind": kinds[change.kind],
                    "state": states[change.state],
                    "submitted": change.date_submitted,
                    "decided": change.date_decided,
                    "reject_reason": change.reject_reason,
                    "details": details,
                }
            )
        return rows
