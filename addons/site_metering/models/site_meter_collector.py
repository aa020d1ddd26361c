"""Collectors: site_collector installations that push readings with their API key.

Only a key's hash is stored, with its first digits as an index to find it; a new key is
shown once (``site.meter.collector.key``). An upload is checked by
``engine.collector_upload`` (controllers/collector.py), its meters found as
``engine.remote`` says, within the collector's sites, and stored by
``site.meter.reading._remote_ingest``.
"""

import hashlib
import hmac
import logging
import secrets

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger

from odoo.addons.base.models.res_partner import _tz_get

from ..engine import remote

_logger = logging.getLogger(__name__)

KEY_INDEX_SIZE = 8


def hash_key(key):
    """The stored form of a collector's API key (random, 160 bits: SHA-256 suffices)."""
    return hashlib.sha256(key.encode()).hexdigest()


class SiteMeterCollector(models.Model):
    """A site_collector installation that pushes readings with its API key."""

    _name = "site.meter.collector"
    _description = "Meter Reading Collector"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(
        required=True, help='The name the collector sends ("collector" in its config).'
    )
    company_ids = fields.Many2many(
        "res.company",
        string="Sites",
        required=True,
        help="The collector may upload readings of these sites' meters only.",
    )
    tz = fields.Selection(
        _tz_get,
        string="Timezone",
        default=lambda self: self.env.user.tz or "UTC",
        help="A reading is dated by the day in this timezone.",
    )
    key_index = fields.Char(readonly=True, copy=False, index=True, groups="base.group_system")
    key_hash = fields.Char(readonly=True, copy=False, groups="base.group_system")
    key_prefix = fields.Char(
        string="API Key", compute="_compute_key_prefix", help="The key's first digits."
    )
    key_date = fields.Datetime(string="Key Generated On", readonly=True, copy=False)
    last_upload = fields.Datetime(readonly=True, copy=False)
    last_upload_summary = fields.Char(readonly=True, copy=False)
    meter_ids = fields.One2many(
        "site.meter",
        "collector_id",
        string="Meters",
        help="The meters this collector may upload readings of, besides those on a gateway "
        "of its sites.",
    )
    reading_ids = fields.One2many("site.meter.reading", "collector_id", string="Readings")
    error_ids = fields.One2many("site.meter.remote.error", "collector_id", string="Errors")
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint("UNIQUE (name)", "A collector of this name already exists.")
    # A key authenticates one collector only.
    _key_hash_uniq = models.UniqueIndex(
        "(key_hash) WHERE key_hash IS NOT NULL", "This API key belongs to another collector."
    )

    @api.constrains("company_ids")
    def _check_meters_sites(self):
        for collector in self:
            stray = collector.meter_ids.filtered(
                lambda m, c=collector: m.company_id not in c.company_ids
            )
            if stray:
                raise ValidationError(
                    self.env._(
                        "Collector %(collector)s reads meters of a site it no longer serves: "
                        "%(meters)s.",
                        collector=collector.name,
                        meters=", ".join(stray.mapped("display_name")),
                    )
                )

    @api.depends("key_date")
    def _compute_key_prefix(self):
        for collector in self:
            index = collector.sudo().key_index
            collector.key_prefix = f"{index}…" if index else False

    def _check_key_manager(self):
        if not self.env.user.has_group("site_residents.group_site_admin"):
            raise UserError(self.env._("Only site administrators manage collectors' API keys."))

    def action_generate_key(self):
        """Make a new API key (the old one stops working) and show it once."""
        self.ensure_one()
        self._check_key_manager()
        key = secrets.token_hex(20)
        self.sudo().write(
            {
                "key_index": key[:KEY_INDEX_SIZE],
                "key_hash": hash_key(key),
                "key_date": fields.Datetime.now(),
            }
        )
        self.message_post(body=self.env._("A new API key was generated."))
        wizard = self.env["site.meter.collector.key"].create({"collector_id": self.id, "key": key})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("API Key of %(collector)s", collector=self.name),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_revoke_key(self):
        self._check_key_manager()
        self.sudo().write({"key_index": False, "key_hash": False, "key_date": False})
        for collector in self:
            collector.message_post(body=self.env._("The API key was revoked."))

    @api.model
    def _authenticate(self, key):
        """The active collector this key belongs to, or an empty recordset."""
        if not key or len(key) <= KEY_INDEX_SIZE:
            return self.browse()
        digest = hash_key(key)
        for collector in self.sudo().search([("key_index", "=", key[:KEY_INDEX_SIZE])]):
            if collector.key_hash and hmac.compare_digest(collector.key_hash, digest):
                return collector
        return self.browse()

    # --- uploads -----------------------------------------------------------------

    def _match_meters(self, items):
        """{index: meter or reason} for uploaded meter identities, within the sites:
        the collector's own meters and those on a gateway of its sites."""
        self.ensure_one()
        identities = [remote.Identity.of(item["meter"]) for item in items]
        domain = [
            ("company_id", "in", self.company_ids.ids),
            "|",
            ("collector_id", "=", self.id),
            ("gateway_id", "!=", False),
        ]
        candidates = self.env["site.meter"].sudo()._remote_search(identities, domain)
        index = remote.MeterIndex(candidates._remote_candidates())
        result = {}
        for position, identity in enumerate(identities):
            match = index.find(identity)
            found = candidates.browse(match.meter_ids)
            if match.problem == remote.UNKNOWN:
                result[position] = self.env._(
                    "No meter %(meter)s assigned to collector %(collector)s.",
                    meter=identity.label,
                    collector=self.name,
                )
            elif match.problem == remote.AMBIGUOUS:
                result[position] = self.env._(
                    "Meter %(meter)s is ambiguous: %(meters)s.",
                    meter=identity.label,
                    meters=", ".join(found.mapped("display_name")),
                )
            elif match.problem == remote.RETIRED:
                result[position] = self.env._(
                    "Meter %(meter)s is %(state)s.", meter=found.display_name, state=found.state
                )
            else:
                result[position] = found
        return result

    def _upload(self, readings, refused=()):
        """Store the readings of an upload; returns the response body.

        ``readings``: [(index in the upload, reading checked by engine.collector_upload)];
        ``refused``: the engine's refusals of the others, answered as they are.
        """
        self.ensure_one()
        # One upload of a collector at a time: a retry racing its original waits for it.
        self.env["site.lock"]._wait(self._name, self.id)
        rejected = [refusal.as_dict() for refusal in refused]
        matches = self._match_meters([item for _index, item in readings])
        entries, index_of = [], {}
        for position, (index, item) in enumerate(readings):
            index_of.setdefault(item["key"], index)
            meter = matches[position]
            if isinstance(meter, str):
                rejected.append(
                    {"index": index, "key": item["key"], "field": "meter", "reason": meter}
                )
                continue
            entries.append(dict(item, meter=meter, wmbus=bool(item["meter"].get("wmbus"))))
        result = self.env["site.meter.reading"].sudo()._remote_ingest(entries, collector=self)
        rejected += [
            dict(refusal, index=index_of.get(refusal["key"]), field="")
            for refusal in result["rejected"]
        ]
        rejected.sort(key=lambda refusal: refusal["index"])
        self._record_upload(
            self.env._(
                "%(accepted)s accepted, %(duplicates)s duplicates, %(rejected)s rejected",
                accepted=len(result["accepted"]),
                duplicates=len(result["duplicates"]),
                rejected=len(rejected),
            )
        )
        return {
            "accepted": result["accepted"],
            "duplicates": result["duplicates"],
            "rejected": rejected,
        }

    def _record_upload(self, summary):
        """The last upload on the collector, unless a concurrent one of it just wrote it."""
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self.sudo().write(
                    {"last_upload": fields.Datetime.now(), "last_upload_summary": summary}
                )
        except psycopg2.errors.SerializationFailure:
            _logger.info(
                "Collector %s: the last upload was recorded by a concurrent one", self.name
            )
