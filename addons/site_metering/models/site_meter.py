from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.site_residents.sql import id_array

METER_KINDS = [
    ("hca", "Heat Cost Allocator"),
    ("heat", "Heat Meter"),
    ("cold_water", "Cold Water"),
    ("hot_water", "Hot Water"),
    ("gas", "Gas"),
    ("electricity", "Electricity"),
]
# The unit each kind's register counts in, as shown beside values.
KIND_UOM = {
    "hca": "units",
    "heat": "kWh",
    "cold_water": "m³",
    "hot_water": "m³",
    "gas": "m³",
    "electricity": "kWh",
}


def uom_label(env, kind):
    """What a meter kind's register counts in, as shown beside values."""
    if kind == "hca":
        # Allocators count units of their own scale, not a physical quantity.
        return env._("units")
    return KIND_UOM.get(kind, "")


PLACEMENTS = [
    ("unit", "Unit"),
    ("main", "Main (Building)"),
    ("common", "Common Area"),
]
SCALES = [("uniform", "Uniform Scale"), ("product", "Product Scale")]


class SiteMeter(models.Model):
    """A meter, or a heat cost allocator on one radiator, in a unit or a building."""

    _name = "site.meter"
    _description = "Meter"
    _inherit = ["mail.thread", "mail.activity.mixin", "site.company.mixin", "site.import.mixin"]
    _order = "building_id, unit_code_sort, kind, room, serial"
    _rec_name = "serial"
    _check_company_auto = True

    serial = fields.Char(string="Serial Number", required=True, tracking=True, index=True)
    kind = fields.Selection(METER_KINDS, required=True, tracking=True, index=True)
    placement = fields.Selection(
        PLACEMENTS,
        default="unit",
        required=True,
        tracking=True,
        help="Unit meters are billed to their unit; a main meter measures a whole building "
        "(the loss is its reading minus the unit meters'); common-area meters are shared.",
    )
    uom = fields.Char(string="Unit of Measure", compute="_compute_uom")
    unit_id = fields.Many2one("site.unit", index=True, check_company=True, tracking=True)
    unit_code_sort = fields.Char(related="unit_id.code_sort", store=True)
    building_id = fields.Many2one(
        "site.building",
        compute="_compute_building_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    room = fields.Char(help="Room of an allocator or meter, e.g. Living room.")
    # Heat cost allocators (EN 834): the radiator and the rating factors.
    radiator_type = fields.Char()
    kq = fields.Float(
        string="KQ", digits=(16, 4), default=1.0, tracking=True, help="Radiator's rated output."
    )
    kc = fields.Float(
        string="KC", digits=(16, 4), default=1.0, tracking=True, help="Thermal coupling factor."
    )
    kt = fields.Float(
        string="KT",
        digits=(16, 4),
        default=1.0,
        tracking=True,
        help="Low room-temperature factor (1 for a normally heated room).",
    )
    scale = fields.Selection(SCALES, default="uniform", tracking=True)
    model_id = fields.Many2one("site.meter.model", string="Model", tracking=True)
    manufacturer = fields.Char(
        compute="_compute_from_model", store=True, readonly=False, precompute=True
    )
    register_digits = fields.Integer(
        compute="_compute_from_model",
        store=True,
        readonly=False,
        precompute=True,
        help="Digits of the register before it returns to zero; 0 when it never rolls over.",
    )
    mbus_primary_address = fields.Integer(
        string="M-Bus Primary Address", help="1–250 on a wired M-Bus; 0 when not wired."
    )
    mbus_secondary_address = fields.Char(
        string="M-Bus Secondary Address",
        help="Identification number, 8 digits (with manufacturer, version and medium, "
        "16 hex digits).",
        index="btree_not_null",
    )
    wmbus_id = fields.Char(string="Wireless M-Bus ID", index="btree_not_null")
    wmbus_key = fields.Char(
        string="Wireless M-Bus Key",
        groups="site_residents.group_site_admin",
        copy=False,
        help="AES-128 key of the meter, 32 hex digits.",
    )
    install_date = fields.Date(string="Installed On", tracking=True)
    seal_number = fields.Char(tracking=True)
    seal_date = fields.Date(string="Sealed On")
    calibration_expiry = fields.Date(string="Calibration Valid Until", tracking=True)
    calibration_expired = fields.Boolean(
        compute="_compute_calibration_expired", search="_search_calibration_expired"
    )
    state = fields.Selection(
        [
            ("active", "In Service"),
            ("faulty", "Faulty"),
            ("replaced", "Replaced"),
            ("removed", "Removed"),
        ],
        default="active",
        required=True,
        tracking=True,
    )
    replaces_id = fields.Many2one(
        "site.meter", string="Replaces", readonly=True, copy=False, check_company=True
    )
    replaced_by_id = fields.Many2one(
        "site.meter", string="Replaced By", readonly=True, copy=False, check_company=True
    )
    reading_ids = fields.One2many("site.meter.reading", "meter_id", string="Readings")
    last_reading_id = fields.Many2one(
        "site.meter.reading", compute="_compute_last_reading", string="Last Reading"
    )
    last_value = fields.Float(compute="_compute_last_reading", digits=(16, 3))
    last_date = fields.Date(compute="_compute_last_reading", string="Last Read On")
    to_accept_count = fields.Integer(compute="_compute_to_accept_count")
    note = fields.Html()
    active = fields.Boolean(default=True)

    _serial_uniq = models.Constraint(
        "UNIQUE (company_id, kind, serial)",
        "A meter of this kind with this serial number already exists on this site.",
    )
    _wmbus_key_hex = models.Constraint(
        "CHECK (wmbus_key IS NULL OR wmbus_key ~ '^[0-9A-Fa-f]{32}$')",
        "The wireless M-Bus key must be 32 hexadecimal digits.",
    )

    @api.depends("kind")
    def _compute_uom(self):
        for meter in self:
            meter.uom = uom_label(self.env, meter.kind)

    @api.depends("unit_id")
    def _compute_building_id(self):
        for meter in self:
            if meter.unit_id:
                meter.building_id = meter.unit_id.building_id

    @api.depends("model_id")
    def _compute_from_model(self):
        for meter in self:
            if meter.model_id:
                meter.manufacturer = meter.model_id.manufacturer
                meter.register_digits = meter.model_id.register_digits

    @api.depends("calibration_expiry")
    def _compute_calibration_expired(self):
        today = fields.Date.context_today(self)
        for meter in self:
            meter.calibration_expired = bool(
                meter.calibration_expiry and meter.calibration_expiry < today
            )

    def _search_calibration_expired(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search expired calibrations with = True or = False."))
        today = fields.Date.context_today(self)
        expired = [("calibration_expiry", "<", today)]
        if (operator == "=") == value:
            return expired
        return ["|", ("calibration_expiry", "=", False), ("calibration_expiry", ">=", today)]

    def _compute_last_reading(self):
        last = self.env["site.meter.reading"]._last_readings(self.ids)
        for meter in self:
            reading = last.get(meter.id, self.env["site.meter.reading"])
            meter.last_reading_id = reading
            meter.last_value = reading.value
            meter.last_date = reading.date

    def _compute_to_accept_count(self):
        counts = dict(
            self.env["site.meter.reading"]._read_group(
                [("meter_id", "in", self.ids), ("state", "=", "to_accept")],
                ["meter_id"],
                ["__count"],
            )
        )
        for meter in self:
            meter.to_accept_count = counts.get(meter, 0)

    @api.constrains("placement", "unit_id", "building_id")
    def _check_placement(self):
        for meter in self:
            if meter.placement == "unit" and not meter.unit_id:
                raise ValidationError(
                    self.env._(
                        "Meter %(serial)s: choose the unit it measures.", serial=meter.serial
                    )
                )
            if meter.placement == "main" and not meter.building_id:
                raise ValidationError(
                    self.env._(
                        "Main meter %(serial)s: choose the building it measures.",
                        serial=meter.serial,
                    )
                )

    @api.constrains("kq", "kc", "kt", "mbus_primary_address", "register_digits")
    def _check_numbers(self):
        for meter in self:
            if meter.kind == "hca" and min(meter.kq, meter.kc, meter.kt) <= 0:
                raise ValidationError(
                    self.env._(
                        "Allocator %(serial)s: KQ, KC and KT must be positive.",
                        serial=meter.serial,
                    )
                )
            if not 0 <= meter.mbus_primary_address <= 250:
                raise ValidationError(
                    self.env._(
                        "Meter %(serial)s: an M-Bus primary address is 1–250 (0: none).",
                        serial=meter.serial,
                    )
                )
            if not 0 <= meter.register_digits <= 12:
                raise ValidationError(
                    self.env._(
                        "Meter %(serial)s: the register has 0–12 digits.", serial=meter.serial
                    )
                )

    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for meter in self:
            where = meter.unit_id.code or meter.building_id.code or ""
            room = f" {meter.room}" if meter.room else ""
            meter.display_name = f"{meter.serial} ({kinds.get(meter.kind, '')} {where}{room})"

    def _rollover_at(self):
        """The register value that returns to zero, or None when it never rolls over."""
        self.ensure_one()
        return 10**self.register_digits if self.register_digits else None

    def _chain(self):
        """This meter and the meters it replaced, oldest first: one measuring point."""
        self.ensure_one()
        chain = self
        while chain[0].replaces_id and chain[0].replaces_id not in chain:
            chain = chain[0].replaces_id | chain
        return chain

    def _predecessor_ids(self):
        """{meter id: [ids of the meters it replaced, oldest first]} of the meters of
        ``self`` that replaced any (``_chain`` without its meter), a query per step back:
        ``_chain`` per meter of a 50,000-allocator site costs more than the allocation."""
        self.flush_model(["replaces_id"])
        predecessors = {}
        pending = {meter_id: meter_id for meter_id in self.ids}  # meter: oldest found
        while pending:
            self.env.cr.execute(
                SQL(
                    "SELECT id, replaces_id FROM site_meter "
                    "WHERE id = ANY(%s) AND replaces_id IS NOT NULL",
                    id_array(set(pending.values())),
                )
            )
            replaced = dict(self.env.cr.fetchall())
            pending = {
                meter_id: replaced[oldest]
                for meter_id, oldest in pending.items()
                if oldest in replaced
                and replaced[oldest] != meter_id
                and replaced[oldest] not in predecessors.get(meter_id, ())
            }
            for meter_id, older in pending.items():
                predecessors.setdefault(meter_id, []).insert(0, older)
        return predecessors

    def action_replace(self):
        self.ensure_one()
        if self.state == "replaced":
            raise UserError(
                self.env._(
                    "Meter %(serial)s was already replaced by %(new)s.",
                    serial=self.serial,
                    new=self.replaced_by_id.serial,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "site.meter.replace.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_meter_id": self.id},
        }

    def action_view_readings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "site_metering.action_site_meter_reading"
        )
        action["domain"] = [("meter_id", "in", self._chain().ids)]
        action["context"] = {"default_meter_id": self.id}
        return action
