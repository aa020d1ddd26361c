import base64
import logging
import re
from collections import defaultdict
from datetime import UTC, datetime
from uuid import uuid4

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import split_every

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import identity_exact

from ..engine import delivery, segments
from ..engine.delivery import DELIVERED, FAILED, QUEUED, SENT, GatewayError
from .site_message_template import CHANNELS

_logger = logging.getLogger(__name__)

BATCH_SIZE = 100
LETTER_BATCH_SIZE = 500
# when a gateway of several requests fails in the middle, the rest of the batch waits
RETRY_REST_SECONDS = 60


class SiteMessage(models.Model):
    """One message to one person by one channel: the archive of everything sent.

    A message is created queued, then sent by a job of its channel (``_job_send_sms``,
    ``_job_send_email``, ``_job_print_letters``), one job per batch. One message exists per
    recipient, template, channel and document (a unique index): a re-run of a bulk send
    or of an automatic message creates nothing twice, and a job only sends what is still
    queued, so a job that is run again (a retry, a restart in the middle of a batch)
    sends nothing twice.
    """

    _name = "site.message"
    _description = "Site Message"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    uuid = fields.Char(default=lambda self: uuid4().hex, readonly=True, copy=False, index=True)
    company_id = fields.Many2one(
        "res.company", string="Site", required=True, index=True, readonly=True
    )
    # stored and given by _site_prepare: a bulk send's costs need no currency looked up
    # message by message
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True, readonly=True
    )
    template_id = fields.Many2one(
        "site.message.template", required=True, readonly=True, index=True, check_company=True
    )
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Recipient", required=True, readonly=True, index=True
    )
    unit_id = fields.Many2one("site.unit", readonly=True, index=True, check_company=True)
    unit_ids = fields.Many2many(
        "site.unit", string="All Units", readonly=True, help="The units the message is about."
    )
    unit_codes = fields.Char(string="Units", readonly=True)
    # computed, and given by _site_prepare: no second write of a bulk send's messages
    building_id = fields.Many2one(
        "site.building", compute="_compute_building_id", store=True, readonly=True
    )
    user_id = fields.Many2one(
        "res.users", string="Sent By", readonly=True, default=lambda self: self.env.user
    )
    sender = fields.Char(readonly=True, help="The SMS header or the reply address.")
    destination = fields.Char(readonly=True, help="The number, e-mail or postal address.")
    lang = fields.Char(string="Language", readonly=True)
    subject = fields.Char(readonly=True)
    body = fields.Text(string="Content", readonly=True)
    document_ref = fields.Char(
        string="Document",
        readonly=True,
        default="",
        help="What the message is about (a charge notice, a bulk send): one message per "
        "recipient, template, channel and document.",
    )
    state = fields.Selection(
        [(QUEUED, "Queued"), (SENT, "Sent"), (DELIVERED, "Delivered"), (FAILED, "Failed")],
        default=QUEUED,
        required=True,
        readonly=True,
        index=True,
    )
    failure_reason = fields.Char(readonly=True)
    gateway_ref = fields.Char(string="Gateway Reference", readonly=True, index="btree_not_null")
    segments = fields.Integer(string="SMS Parts", readonly=True)
    cost = fields.Monetary(readonly=True)
    date_sent = fields.Datetime(string="Sent On", readonly=True)
    date_delivered = fields.Datetime(string="Delivered On", readonly=True)
    mail_id = fields.Many2one("mail.mail", string="E-mail", readonly=True, index="btree_not_null")
    letter_attachment_id = fields.Many2one(
        "ir.attachment", string="Letters (PDF)", readonly=True, copy=False
    )

    _dedup_uniq = models.UniqueIndex(
        "(partner_id, template_id, channel, COALESCE(document_ref, ''))",
        "A person gets one message per template, channel and document.",
    )
    _company_date_idx = models.Index("(company_id, create_date DESC)")

    def _check_company(self, fnames=None):
        """Odoo's check that the template and units are the message's site's, done for a
        whole bulk send at once (a domain per field and site, not per message); Odoo's
        own check then names the culprits, if any."""
        if len(self) < 2:
            return super()._check_company(fnames)
        names = [
            name
            for name in (self._fields if fnames is None or "company_id" in fnames else fnames)
            if self._fields[name].relational and self._fields[name].check_company
        ]
        suspects = self.browse()
        for company, messages in self.sudo().grouped("company_id").items():
            for name in names:
                linked = messages[name]
                allowed = linked.with_context(active_test=False).filtered_domain(
                    linked._check_company_domain(company)
                )
                if linked != allowed:
                    suspects |= messages.filtered(lambda m, n=name, a=allowed: m[n] - a)
        if suspects:
            super(SiteMessage, suspects.with_env(self.env))._check_company(fnames)

    @api.depends("unit_id.building_id")
    def _compute_building_id(self):
        for message in self:
            message.building_id = message.unit_id.building_id

    @api.depends("company_id")
    def _compute_currency_id(self):
        for message in self:
            message.currency_id = message.company_id.currency_id

    @api.depends("subject", "template_id", "partner_id")
    def _compute_display_name(self):
        for message in self:
            message.display_name = (
                f"{message.subject or message.template_id.name} → {message.partner_id.name}"
            )

    # --- queueing ----------------------------------------------------------

    @api.model
    def _destination(self, partner, channel):
        """Where ``channel`` reaches ``partner``: a number (E.164), an e-mail, an address."""
        if channel == "sms":
            number = partner._phone_format(fname="phone", force_format="E164") or partner.phone
            # without the phonenumbers library, at least no spaces or punctuation
            return re.sub(r"[^\d+]", "", number or "") or False
        if channel == "email":
            return partner.email
        if not (partner.street or partner.city):
            return False
        return partner._display_address().strip()

    @api.model
    def _sender(self, company, channel):
        if channel == "sms":
            return company.site_sms_sender or company.name
        return company.site_reply_to or company.email or company.name

    @api.model
    def _consent_blocked(self, company, partners):
        """The ids of ``partners`` the site may not send SMS or e-mail notices: those who
        withdrew their consent to them (KVKK / GDPR) and, where the site asks for a
        consent, those who never gave one."""
        today = fields.Date.context_today(self)
        consents = (
            self.env["site.privacy.consent"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", partners.ids),
                    ("company_id", "=", company.id),
                    ("purpose", "=", "communication"),
                ]
            )
        )
        given = {
            c.partner_id.id
            for c in consents
            if c.date_given <= today and (not c.date_withdrawn or c.date_withdrawn > today)
        }
        asked = set(partners.ids) if company.site_require_consent else set(consents.partner_id.ids)
        return asked - given

    @api.model
    def _skip_reasons(self, company, partners, channel, destinations=None):
        """{partner: why ``channel`` cannot reach them} for those of ``partners`` who
        opted out, withdrew their consent or have no address for it (``destinations``:
        their addresses, when already known)."""
        blocked = self._consent_blocked(company, partners) if channel != "letter" else set()
        missing = {
            "sms": self.env._("The recipient has no mobile number."),
            "email": self.env._("The recipient has no e-mail address."),
            "letter": self.env._("The recipient has no postal address."),
        }
        reasons = {}
        for partner in partners:
            if partner._site_opted_out(channel):
                reasons[partner] = self.env._("The recipient opted out of this channel.")
            elif partner.id in blocked:
                reasons[partner] = self.env._(
                    "The recipient has not consented to SMS and e-mail notices."
                )
            elif not (
                destinations[partner] if destinations else self._destination(partner, channel)
            ):
                reasons[partner] = missing[channel]
        return reasons

    @api.model
    def _site_prepare(
        self, template, recipients, document_ref="", reading_window=None, extra_values=None
    ):
        """The values of the messages ``template`` would send to ``recipients``
        ({partner: units}) about ``document_ref`` (one for all, or {partner: reference}),
        skipping those already in the archive and the people who cannot get them:
        (values list, {partner: reason skipped}). ``extra_values`` ({partner id: {merge
        field: text}}) fills the fields about the document, such as ``status``."""
        company = template.company_id
        channel = template.channel
        refs = (
            document_ref
            if isinstance(document_ref, dict)
            else dict.fromkeys(recipients, document_ref or "")
        )
        existing = {
            delivery.dedup_key(m.partner_id.id, m.template_id.id, m.channel, m.document_ref)
            for m in self.sudo().search(
                [
                    ("partner_id", "in", [p.id for p in recipients]),
                    ("template_id", "=", template.id),
                    ("channel", "=", channel),
                    ("document_ref", "in", list(set(refs.values()))),
                ]
            )
        }
        partners = self.env["res.partner"].browse(p.id for p in recipients)
        destinations = {partner: self._destination(partner, channel) for partner in partners}
        skipped = self._skip_reasons(company, partners, channel, destinations)
        wanted = {
            delivery.dedup_key(partner.id, template.id, channel, refs[partner]): partner
            for partner in recipients
            if partner not in skipped
        }
        keys = delivery.new_keys(wanted, existing)
        todo = {wanted[key]: recipients[wanted[key]] for key in keys}
        # every recipient's units read at once, not one query per recipient
        self.env["site.unit"].browse({u.id for units in todo.values() for u in units}).fetch(
            ["code", "building_id"]
        )
        values = template._merge_values(company, todo, reading_window) if todo else {}
        for partner_id, extra in (extra_values or {}).items():
            if partner_id in values:
                values[partner_id].update(extra)
        sender = self._sender(company, channel)
        # the template in each language once: no new environment for each text
        translated = {
            lang: template.with_context(lang=lang) for lang in {p.lang or "en_US" for p in todo}
        }
        vals_list = []
        for partner, units in todo.items():
            subject, body = translated[partner.lang or "en_US"]._render_for(
                partner, values[partner.id]
            )
            parts = segments.measure(body).segments if channel == "sms" else 0
            if channel == "sms":
                cost = parts * company.site_sms_segment_cost
            else:
                cost = company.site_letter_cost if channel == "letter" else 0.0
            vals_list.append(
                {
                    # the defaults given: none looked up message by message
                    "uuid": uuid4().hex,
                    "user_id": self.env.uid,
                    "state": QUEUED,
                    "company_id": company.id,
                    "template_id": template.id,
                    "channel": channel,
                    "partner_id": partner.id,
                    "unit_id": units[:1].id,
                    "building_id": units[:1].building_id.id,
                    "unit_ids": [fields.Command.set(units.ids)],
                    "unit_codes": ", ".join(units.mapped("code")),
                    "sender": sender,
                    "destination": destinations[partner],
                    "currency_id": company.currency_id.id,
                    "lang": partner.lang,
                    "subject": subject,
                    "body": body,
                    "document_ref": refs[partner],
                    "segments": parts,
                    "cost": cost,
                }
            )
        return vals_list, skipped

    @api.model
    def _site_queue(
        self, template, recipients, document_ref="", reading_window=None, extra_values=None
    ):
        """Create the messages of ``template`` to ``recipients`` about ``document_ref``
        that do not exist yet and queue their jobs; returns the new messages."""
        vals_list, _skipped = self._site_prepare(
            template, recipients, document_ref, reading_window, extra_values
        )
        messages = self.create(vals_list)
        messages._enqueue()
        return messages

    def _enqueue(self):
        """One job per batch of queued messages of one site and channel; SMS wait for
        the end of their site's quiet hours."""
        params = self.env["ir.config_parameter"].sudo()
        batch_size = int(params.get_param("site_messaging.batch_size", BATCH_SIZE))
        # letters print as one PDF per job: larger batches, fewer files
        letter_batch_size = int(
            params.get_param("site_messaging.letter_batch_size", LETTER_BATCH_SIZE)
        )
        now = datetime.now(UTC)
        methods = {
            "sms": "_job_send_sms",
            "email": "_job_send_email",
            "letter": "_job_print_letters",
        }
        queued = self.filtered(lambda m: m.state == QUEUED)
        for (company, channel), messages in queued.grouped(
            lambda m: (m.company_id, m.channel)
        ).items():
            eta = None
            if channel == "sms":
                allowed = company._site_next_sms_time(now)
                eta = allowed.replace(tzinfo=None) if allowed > now else None
            size = letter_batch_size if channel == "letter" else batch_size
            for ids in split_every(size, messages.ids):
                batch = self.browse(ids)
                delayed = batch.with_delay(
                    eta=eta,
                    # the same batch twice in the queue (a double click) runs once
                    identity_key=identity_exact,
                    description=self.env._(
                        "%(site)s: %(count)s %(channel)s messages",
                        site=company.name,
                        count=len(batch),
                        channel=dict(CHANNELS)[channel],
                    ),
                )
                getattr(delayed, methods[channel])()

    # --- jobs --------------------------------------------------------------

    def _still_queued(self):
        """The messages of the batch still to send, locked against another worker running
        the same batch; a message that was sent (a retry, a restart) is left alone."""
        messages = self.sudo().exists().try_lock_for_update()
        return messages.filtered(lambda m: m.state == QUEUED)

    def _fail(self, reason):
        self.write({"state": FAILED, "failure_reason": reason})

    def _drop_unreachable(self):
        """Fail the messages whose recipient opted out or lost their address since they
        were queued; returns the others."""
        for (company, channel), messages in self.grouped(
            lambda m: (m.company_id, m.channel)
        ).items():
            reasons = self._skip_reasons(company, messages.partner_id, channel)
            for message in messages:
                if message.partner_id in reasons:
                    message._fail(reasons[message.partner_id])
        return self.filtered(lambda m: m.state == QUEUED)

    def _job_send_sms(self):
        """Send a batch of SMS through the site's gateway. A transient failure before
        anything went out is retried (the job's retry pattern); after part of the batch
        went out, that part is kept and the rest queued anew; a refusal fails the
        messages with the gateway's reason."""
        messages = self._still_queued()
        if not messages:
            return "nothing to send"
        company = messages.company_id
        company.ensure_one()
        now = datetime.now(UTC)
        allowed = company._site_next_sms_time(now)
        if allowed > now:
            raise RetryableJobError(
                "quiet hours", seconds=int((allowed - now).total_seconds()) + 1, ignore_retry=True
            )
        messages = messages._drop_unreachable()
        if not messages:
            return "nothing to send"
        api = company._site_sms_api()
        payload = [
            {"content": body, "numbers": [{"uuid": m.uuid, "number": m.destination} for m in batch]}
            for body, batch in messages.grouped("body").items()
        ]
        try:
            results = api._send_sms_batch(payload)
        except GatewayError as error:
            if error.results:
                # part of the batch went out: keep it, and queue the rest anew
                messages._apply_sms_results(api, error.results)
                rest = messages.filtered(lambda m: m.state == QUEUED)
                if error.transient:
                    rest.with_delay(eta=RETRY_REST_SECONDS)._job_send_sms()
                else:
                    rest._fail(error.reason)
                return error.reason
            if error.transient:
                raise RetryableJobError(error.reason) from error
            messages._fail(error.reason)
            return error.reason
        except Exception as error:  # Odoo's IAP and other SMS addons raise their own errors
            raise RetryableJobError(str(error)) from error
        messages._apply_sms_results(api, results)
        return f"{len(results)} SMS sent"

    def _apply_sms_results(self, api, results):
        """Write a gateway's answer on the messages: sent with its reference, or failed
        with its reason."""
        errors = api._get_sms_api_error_messages()
        by_uuid = self.grouped("uuid")
        sent_on = fields.Datetime.now()
        for result in results:
            message = by_uuid.get(result.get("uuid"))
            if not message:
                continue
            if result.get("state") in ("success", "processing"):
                message.write(
                    {"state": SENT, "date_sent": sent_on, "gateway_ref": result.get("site_ref")}
                )
            else:
                message._fail(
                    result.get("failure_reason")
                    or str(errors.get(result.get("state")) or result.get("state"))
                )

    def _job_send_email(self):
        """Hand a batch of e-mails to Odoo's mail queue, replies going to the site."""
        messages = self._still_queued()._drop_unreachable()
        if not messages:
            return "nothing to send"
        default_from = self.env["ir.mail_server"].sudo()._get_default_from_address()
        mails = (
            self.env["mail.mail"]
            .sudo()
            .create(
                [
                    {
                        "subject": m.subject or m.template_id.name,
                        "body_html": Markup("<br/>").join(
                            escape(line) for line in (m.body or "").splitlines()
                        ),
                        "email_to": m.destination,
                        "email_from": m.company_id.email_formatted or default_from,
                        "reply_to": m.company_id.site_reply_to or False,
                        "model": "site.message",
                        "res_id": m.id,
                        "auto_delete": False,
                    }
                    for m in messages
                ]
            )
        )
        sent_on = fields.Datetime.now()
        for message, mail in zip(messages, mails):
            message.write({"state": SENT, "date_sent": sent_on, "mail_id": mail.id})
        return f"{len(mails)} e-mails queued"

    def _job_print_letters(self):
        """Print a batch of letters as one PDF, attached to each of its messages."""
        messages = self._still_queued()._drop_unreachable()
        if not messages:
            return "nothing to print"
        content, _kind = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf("site_messaging.action_report_site_message_letter", messages.ids)
        )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.env._(
                        "Letters %(site)s %(date)s.pdf",
                        site=messages.company_id.name,
                        date=fields.Date.context_today(self),
                    ),
                    "datas": base64.b64encode(content),
                    "mimetype": "application/pdf",
                    "res_model": "res.company",
                    "res_id": messages.company_id.id,
                }
            )
        )
        messages.write(
            {
                "state": SENT,
                "date_sent": fields.Datetime.now(),
                "letter_attachment_id": attachment.id,
            }
        )
        return f"{len(messages)} letters printed"

    def _job_send_failed(self, exc_message=None, **_values):
        """The job failed for good (retries exhausted): its messages still queued fail
        with the gateway's last answer."""
        self._still_queued()._fail(exc_message or self.env._("The gateway did not answer."))

    def _job_poll_delivery(self):
        """Ask the site's gateway what became of the batch's sent SMS."""
        messages = (
            self.sudo()
            .exists()
            .filtered(lambda m: m.state == SENT and m.channel == "sms" and m.gateway_ref)
        )
        if not messages:
            return "nothing to poll"
        api = messages.company_id._site_sms_api()
        try:
            reports = api._poll_delivery(sorted(set(messages.mapped("gateway_ref"))))
        except GatewayError as error:
            if error.transient:
                raise RetryableJobError(error.reason) from error
            return error.reason
        messages._apply_delivery_reports(reports)
        return f"{len(messages)} SMS polled"

    def _apply_delivery_reports(self, reports):
        """Write a gateway's delivery reports ({gateway ref: [(number, state, reason)]},
        number None for every message of the ref) on these sent SMS; a ref or number
        of none of them is ignored."""
        now = fields.Datetime.now()
        for ref, ref_messages in self.grouped("gateway_ref").items():
            pending = defaultdict(list)
            for message in ref_messages:
                pending[(message.destination or "").lstrip("+")].append(message)
            for number, state, reason in reports.get(ref, ()):
                targets = (
                    ref_messages if number is None else pending.get(number.lstrip("+"), [])[:1]
                )
                for message in targets:
                    if number is not None:
                        pending[number.lstrip("+")].remove(message)
                    if state == DELIVERED:
                        message.write({"state": DELIVERED, "date_delivered": now})
                    elif state == FAILED:
                        message._fail(reason)

    @api.model
    def _site_delivery_callback(self, company, reports):
        """Apply the delivery reports ``company``'s gateway pushed to the SMS of that
        site it sent and has not reported yet; returns how many were concerned."""
        messages = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("channel", "=", "sms"),
                ("state", "=", SENT),
                ("gateway_ref", "in", list(reports)),
            ]
        )
        messages._apply_delivery_reports(reports)
        return len(messages)

    @api.model
    def _cron_poll_delivery(self):
        """One delivery-report job per site and batch of SMS sent in the last days."""
        messages = self.sudo().search(
            [
                ("state", "=", SENT),
                ("channel", "=", "sms"),
                ("gateway_ref", "!=", False),
                ("date_sent", ">=", fields.Datetime.subtract(fields.Datetime.now(), days=3)),
            ]
        )
        for _company, site_messages in messages.grouped("company_id").items():
            for ids in split_every(BATCH_SIZE * 5, site_messages.ids):
                self.browse(ids).with_delay()._job_poll_delivery()

    # --- actions -----------------------------------------------------------

    def action_retry(self):
        """Queue the failed messages again."""
        failed = self.filtered(lambda m: m.state == FAILED)
        failed.write({"state": QUEUED, "failure_reason": False})
        failed._enqueue()

    def action_download_letters(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.letter_attachment_id.id}?download=true",
            "target": "self",
        }
