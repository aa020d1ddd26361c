from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.site_dues.models.account_move_line import SITE_RECEIVABLE

from ..engine import rendering, segments

CHANNELS = [("sms", "SMS"), ("email", "E-mail"), ("letter", "Letter")]


class SiteMessageTemplate(models.Model):
    """A message a site sends: its channel and its text in each language, with merge
    fields (``{{partner_name}}``, ``{{balance}}``...) filled in for each recipient."""

    _name = "site.message.template"
    _description = "Site Message Template"
    _inherit = ["site.company.mixin"]
    _order = "company_id, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    channel = fields.Selection(CHANNELS, required=True, default="sms")
    subject = fields.Char(translate=True, help="The e-mail's subject, the letter's title.")
    body = fields.Text(
        required=True,
        translate=True,
        help="The text, in each language: merge fields between double braces, e.g. "
        "{{partner_name}}, {{unit}}, {{balance}}, {{balance_by_type}}, {{due_date}}, "
        "{{payment_link}}, {{reading_window}}, {{site}}, {{document}}, {{status}}.",
    )
    sms_encoding = fields.Selection(
        [(segments.GSM7, "GSM-7"), (segments.UCS2, "UCS-2 (Unicode)")],
        string="Encoding",
        compute="_compute_sms_length",
        help="Letters outside GSM-7 (Turkish ş ğ ı İ, Polish, Cyrillic) make every part of "
        "the SMS shorter.",
    )
    sms_length = fields.Integer(string="Length", compute="_compute_sms_length")
    sms_segments = fields.Integer(
        string="SMS Parts",
        compute="_compute_sms_length",
        help="Parts of the text as written, before the merge fields are filled in.",
    )
    message_count = fields.Integer(compute="_compute_message_count")

    @api.depends("body")
    @api.depends_context("lang")
    def _compute_sms_length(self):
        for template in self:
            length = segments.measure(template.body or "")
            template.sms_encoding = length.encoding
            template.sms_length = length.units
            template.sms_segments = length.segments

    def _compute_message_count(self):
        counts = dict(
            self.env["site.message"]._read_group(
                [("template_id", "in", self.ids)], ["template_id"], ["__count"]
            )
        )
        for template in self:
            template.message_count = counts.get(template, 0)

    @api.constrains("body", "subject")
    def _check_merge_fields(self):
        """Every language's text names known merge fields only."""
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        for template in self:
            for lang in langs:
                translated = template.with_context(lang=lang)
                for text in (translated.body, translated.subject):
                    try:
                        rendering.check(text)
                    except rendering.UnknownMergeField as error:
                        raise ValidationError(
                            self.env._(
                                "Template %(template)s (%(lang)s) uses the unknown merge "
                                "field {{%(field)s}}. Known fields: %(known)s.",
                                template=template.name,
                                lang=lang,
                                field=error.field,
                                known=", ".join(error.known),
                            )
                        ) from error

    # --- merge values ------------------------------------------------------

    @api.model
    def _site_payment_links(self, company, recipients):
        """{partner id: the link to pay without signing in} for ``recipients``
        ({partner: units}). None here: ``site_portal`` overrides it where installed."""
        return {}

    @api.model
    def _site_balances(self, company, recipients):
        """{partner id: ({charge type: open amount}, earliest open due date)} of
        each recipient's units, from the site's receivables, in two queries."""
        partners = self.env["res.partner"].browse(p.id for p in recipients)
        units = self.env["site.unit"].browse({u.id for us in recipients.values() for u in us})
        units_of = {p.id: set(us.ids) for p, us in recipients.items()}
        domain = [
            ("company_id", "=", company.id),
            ("site_unit_id", "in", units.ids),
            ("partner_id", "in", partners.ids),
            ("amount_residual", "!=", 0),
            *SITE_RECEIVABLE,
        ]
        Line = self.env["account.move.line"].sudo()
        amounts = defaultdict(dict)
        due = {}
        for partner, unit, charge_type, residual, maturity in Line._read_group(
            domain,
            ["partner_id", "site_unit_id", "site_charge_type_id"],
            ["amount_residual:sum", "date_maturity:min"],
        ):
            if unit.id not in units_of.get(partner.id, ()):
                continue
            amounts[partner.id][charge_type] = amounts[partner.id].get(charge_type, 0.0) + residual
            if residual > 0 and maturity:
                due[partner.id] = min(due.get(partner.id, maturity), maturity)
        return {pid: (amounts.get(pid, {}), due.get(pid)) for pid in units_of}

    def _merge_values(self, company, recipients, reading_window=None):
        """{partner id: {lang: values}}: the merge fields of each recipient in their
        language. ``recipients`` is {partner: units}; ``reading_window`` (from, to)."""
        balances = self._site_balances(company, recipients)
        links = self._site_payment_links(company, recipients)
        currency = company.currency_id.symbol or company.currency_id.name
        names = {}

        def label(charge_type, lang):
            """The charge type's name in ``lang``, read once per language."""
            if (charge_type, lang) not in names:
                names[charge_type, lang] = charge_type.with_context(lang=lang).name or self.env._(
                    "Payments and credits"
                )
            return names[charge_type, lang]

        result = {}
        for partner, units in recipients.items():
            lang = partner.lang or "en_US"
            by_type, due_date = balances.get(partner.id, ({}, None))
            labels = {label(charge_type, lang): amount for charge_type, amount in by_type.items()}
            window = ""
            if reading_window and all(reading_window):
                window = " – ".join(rendering.format_date(day, lang) for day in reading_window)
            result[partner.id] = {
                "partner_name": partner.name,
                "unit": ", ".join(units.mapped("code")),
                "site": company.name,
                "balance": rendering.format_amount(sum(by_type.values()), lang, currency),
                "balance_by_type": rendering.balance_by_type(labels, lang, currency),
                "due_date": rendering.format_date(due_date, lang),
                "payment_link": links.get(partner.id, ""),
                "reading_window": window,
                "document": "",
                "status": "",
            }
        return result

    def _render_for(self, partner, values):
        """(subject, body) of this template in ``partner``'s language with ``values``."""
        self.ensure_one()
        lang = partner.lang or "en_US"
        translated = self if self.env.context.get("lang") == lang else self.with_context(lang=lang)
        try:
            return (
                rendering.render(translated.subject or "", values),
                rendering.render(translated.body or "", values),
            )
        except rendering.UnknownMergeField as error:
            raise ValidationError(
                self.env._(
                    "Template %(template)s uses the unknown merge field {{%(field)s}}.",
                    template=self.name,
                    field=error.field,
                )
            ) from error

    def action_view_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("site_messaging.action_site_message")
        action["domain"] = [("template_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
