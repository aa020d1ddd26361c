from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.site_residents.engine.money import to_decimal

from ..engine import cost_allocation as engine
from ..engine import heat
from .site_meter import KIND_UOM, METER_KINDS

PART_TYPES = [
    ("heating", "Heating"),
    ("hot_water", "Hot Water"),
    ("water", "Water"),
    ("electricity", "Common Electricity"),
    ("gas", "Gas"),
    ("other", "Other"),
]
METHODS = [
    (engine.TR_HEAT, "Turkish Regulation (70 % Consumption, 30 % Area, Minimum)"),
    (engine.CONSUMPTION_SHARE, "Consumption Share 50–70 % (German Rule)"),
    (engine.WATER_LOSS, "Water: Main Meter Minus Unit Meters"),
    (engine.KEY, "Allocation Key Only"),
    (engine.TARIFF, "Tariff on Consumption"),
    (engine.HOT_WATER_FORMULA, "Hot-Water Formula"),
]
AREA_KEYS = [
    ("area", "Closed Area"),
    ("area_heated", "Heated Area"),
    ("volume", "Heated Volume"),
    ("equal", "Equally per Unit"),
    ("persons", "Persons"),
    ("land_share", "Land Share"),
]
LOSS_KEYS = [
    ("consumption", "By Consumption"),
    ("area", "By Closed Area"),
    ("equal", "Equally per Unit"),
]
HOT_WATER_RULES = [
    (engine.TURKISH_HOT_WATER, "Turkish Fuel Formula (By = 1.20 · V · (tw − 10) / Hu)"),
    (engine.GERMAN_HOT_WATER, "German Heat Share (2.5 kWh/(m³·K) · V · (tw − 10))"),
]
DEFAULT_CHARGE_TYPES = {
    "heating": "HEAT",
    "hot_water": "HOTWATER",
    "water": "COLDWATER",
    "gas": "GAS",
    "electricity": "ELEC",
}
DEFAULT_METER_KINDS = {
    "heating": "hca",
    "hot_water": "hot_water",
    "water": "cold_water",
    "gas": "gas",
    "electricity": "electricity",
}
# How a step of a share's computation joins the one before it: a new sentence by
# default, a clause after a semicolon, or the tariff's total after a space.
STEP_SEPARATORS = {
    engine.STEP_EQUAL_SHARE: "; ",
    engine.STEP_AREA_SHARE: "; ",
    engine.STEP_KEY_REST: "; ",
    engine.STEP_TARIFF_BLOCK: "; ",
    engine.STEP_TARIFF_FEE: "; ",
    engine.STEP_TARIFF_MINIMUM: "; ",
    engine.STEP_TARIFF_TAX: "; ",
    engine.STEP_TARIFF_TOTAL: " ",
}
# How a step's numbers are printed; the others (weights of a key) as they are.
STEP_FORMATS = {
    "used": ".4f",
    "price": ".4f",
    "minimum": ".4f",
    "loss": ".4f",
    "quantity": ".3f",
    "area": ".2f",
    "amount": ".2f",
    "share": ".2f",
    "part": ".2f",
    "loss_part": ".2f",
    "fee": ".2f",
    "topup": ".2f",
    "tax": ".2f",
    "total": ".2f",
}


class SiteCostAllocationPart(models.Model):
    """One part of the bill (heating, hot water, water...) and how it is shared."""

    _name = "site.cost.allocation.part"
    _description = "Cost Allocation Part"
    _order = "allocation_id, sequence, id"
    _check_company_auto = True

    allocation_id = fields.Many2one(
        "site.cost.allocation", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="allocation_id.company_id", store=True, string="Site")
    currency_id = fields.Many2one(related="allocation_id.currency_id")
    sequence = fields.Integer(default=10)
    part_type = fields.Selection(PART_TYPES, required=True, default="heating")
    name = fields.Char(
        compute="_compute_name", store=True, readonly=False, precompute=True, required=True
    )
    amount = fields.Monetary(help="What this part shares; computed for formula and tariff parts.")
    takes_rest = fields.Boolean(
        string="Rest of the Bill",
        help="This part shares what is left of the bill after the other parts.",
    )
    method = fields.Selection(METHODS, required=True, default=engine.TR_HEAT)
    consumption_share = fields.Float(
        digits=(16, 2),
        default=float(heat.TURKISH_CONSUMPTION_SHARE),
        help="Share of the amount split by consumption: 0.70 in Turkey, 0.50–0.70 in Germany.",
    )
    area_key = fields.Selection(
        AREA_KEYS,
        string="Rest / Key",
        default="area",
        required=True,
        help="How the rest (or, for the allocation-key method, the whole part) is shared.",
    )
    loss_key = fields.Selection(LOSS_KEYS, string="Loss Shared", default="consumption")
    apply_minimum = fields.Boolean(
        string="15 °C Minimum",
        compute="_compute_method_defaults",
        store=True,
        precompute=True,
        readonly=False,
        help="Raise units below the building's average per m² times f to that minimum.",
    )
    minimum_factor = fields.Float(
        string="Factor f",
        digits=(16, 4),
        compute="_compute_minimum_factor",
        store=True,
        precompute=True,
        readonly=False,
        help="From the site's minimum heating factors for the billed month; editable.",
    )
    meter_kind = fields.Selection(
        METER_KINDS,
        compute="_compute_type_defaults",
        store=True,
        readonly=False,
        precompute=True,
    )
    charge_type_id = fields.Many2one(
        "site.charge.type",
        compute="_compute_type_defaults",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('company_id', '=', company_id), ('kind', '=', 'charge')]",
    )
    tariff_id = fields.Many2one("site.meter.tariff", check_company=True)
    # Hot water by formula.
    hot_water_rule = fields.Selection(HOT_WATER_RULES, default=engine.TURKISH_HOT_WATER)
    hw_volume = fields.Float(
        string="Hot Water V (m³)",
        digits=(16, 3),
        help="Empty: the sum of the units' hot-water meters over the period.",
    )
    hw_temperature = fields.Float(string="Temperature tw (°C)", digits=(16, 1), default=60.0)
    hw_heating_value = fields.Float(
        string="Heating Value Hu (kcal)",
        digits=(16, 2),
        help="The fuel's lower heating value in kcal per fuel unit: natural gas 8,250 "
        "kcal/m³, fuel oil 9,700 kcal/kg, coal 7,200 kcal/kg. V counts in litres and 1.20 "
        "is kcal per litre and kelvin, so the fuel By comes out in that fuel unit.",
    )
    hw_fuel_price = fields.Float(
        string="Fuel Price F", digits=(16, 4), help="The price of one fuel unit (m³, kg)."
    )
    hw_total_energy = fields.Float(
        string="Total Energy (kWh)",
        digits=(16, 2),
        help="German rule: the energy of the whole bill; the hot-water share is its part.",
    )
    hw_district = fields.Boolean(string="District Heat", help="German rule: ÷ 1.15.")
    hw_fuel = fields.Float(string="Fuel By", digits=(16, 4), readonly=True)
    hot_water_percent = fields.Float(string="Hot Water (%)", digits=(16, 2), readonly=True)
    # Results.
    consumption_total = fields.Float(digits=(16, 3), readonly=True)
    billed_consumption_total = fields.Float(digits=(16, 4), readonly=True)
    unit_price = fields.Float(digits=(16, 4), readonly=True)
    area_price = fields.Float(digits=(16, 4), readonly=True)
    main_consumption = fields.Float(digits=(16, 3), readonly=True)
    loss = fields.Float(digits=(16, 3), readonly=True)
    loss_percent = fields.Float(string="Loss (%)", digits=(16, 2), readonly=True)
    minimum_per_m2 = fields.Float(string="Minimum per m²", digits=(16, 4), readonly=True)
    estimated_area_share = fields.Float(string="Estimated Area (%)", digits=(16, 2), readonly=True)
    uom = fields.Char(compute="_compute_uom")

    @api.depends("part_type")
    def _compute_name(self):
        names = dict(PART_TYPES)
        for part in self:
            if not part.name:
                part.name = names.get(part.part_type, "")

    @api.depends("method")
    def _compute_method_defaults(self):
        for part in self:
            part.apply_minimum = part.method == engine.TR_HEAT

    @api.depends("allocation_id.period", "apply_minimum")
    def _compute_minimum_factor(self):
        missing = self.filtered(
            lambda part: (
                part.apply_minimum and part.allocation_id.period and not part.minimum_factor
            )
        )
        factors = self.env["site.heat.minimum"]._factors(missing.allocation_id.company_id)
        for part in missing:
            allocation = part.allocation_id
            part.minimum_factor = factors.get(
                (allocation.company_id.id, allocation.period.month), 0.0
            )

    @api.depends("part_type", "allocation_id.company_id")
    def _compute_type_defaults(self):
        companies = self.allocation_id.company_id
        charge_types = {}
        for charge_type in self.env["site.charge.type"].search(
            [
                ("company_id", "in", companies.ids),
                ("code", "in", list(DEFAULT_CHARGE_TYPES.values())),
            ]
        ):
            charge_types.setdefault((charge_type.company_id.id, charge_type.code), charge_type)
        for part in self:
            if not part.meter_kind:
                part.meter_kind = DEFAULT_METER_KINDS.get(part.part_type)
            if not part.charge_type_id and part.allocation_id.company_id:
                part.charge_type_id = charge_types.get(
                    (part.allocation_id.company_id.id, DEFAULT_CHARGE_TYPES.get(part.part_type))
                )

    @api.depends("meter_kind")
    def _compute_uom(self):
        for part in self:
            part.uom = "kWh" if part.meter_kind == "hca" else KIND_UOM.get(part.meter_kind, "")

    @api.constrains("consumption_share", "method", "amount", "tariff_id")
    def _check_part(self):
        for part in self:
            if part.method in engine.HEAT_METHODS and not heat.consumption_share_allowed(
                round(part.consumption_share, 4)
            ):
                raise ValidationError(
                    self.env._(
                        "Part %(part)s: the consumption share must be between %(low)s and "
                        "%(high)s, not %(share)s.",
                        part=part.name,
                        low=f"{heat.MIN_CONSUMPTION_SHARE:.2f}",
                        high=f"{heat.MAX_CONSUMPTION_SHARE:.2f}",
                        share=part.consumption_share,
                    )
                )
            if part.amount < 0:
                raise ValidationError(
                    self.env._("Part %(part)s: the amount cannot be negative.", part=part.name)
                )
            if part.method == engine.TARIFF and not part.tariff_id:
                raise ValidationError(
                    self.env._("Part %(part)s: choose the tariff to apply.", part=part.name)
                )

    # --- to and from the engine (engine.cost_allocation) ---------------------------

    def _weights(self, units, key):
        """{unit id: weight} of a key: the site_dues allocation keys and the heated volume."""
        if key == "volume":
            return {unit.id: to_decimal(unit.volume_heated) for unit in units}
        dues_key = {"area": "area_net"}.get(key, key)
        return units._allocation_weights(dues_key, self.allocation_id.date_to)

    def _engine_part(self, units, consumption):
        """The part as the engine takes it, with what it needs of the units: the weights
        of its key, the main meters' consumption, the tariff's charges."""
        self.ensure_one()
        allocation = self.allocation_id
        key = engine.weights_key(self.method, self.area_key, allocation.area_only)
        used = consumption.get(self.meter_kind, {})
        return engine.Part(
            key=self.id,
            method=self.method,
            amount=to_decimal(self.amount),
            name=self.name,
            takes_rest=self.takes_rest,
            meter_kind=self.meter_kind or None,
            area_key=self.area_key,
            consumption_share=to_decimal(self.consumption_share),
            minimum_factor=to_decimal(self.minimum_factor) if self.apply_minimum else None,
            loss_key=self.loss_key,
            weights=self._weights(units, key) if key else None,
            main_consumption=allocation._main_consumption(self.meter_kind)
            if self.method == engine.WATER_LOSS
            else None,
            tariff_charges=self.tariff_id._charges(
                {unit.id: used.get(unit.id, Decimal(0)) for unit in units},
                engine.billed_months(allocation.date_from, allocation.date_to),
            )
            if self.method == engine.TARIFF
            else None,
            hot_water=engine.HotWater(
                rule=self.hot_water_rule,
                volume=to_decimal(self.hw_volume),
                temperature=to_decimal(self.hw_temperature),
                heating_value=to_decimal(self.hw_heating_value),
                fuel_price=to_decimal(self.hw_fuel_price),
                total_energy=to_decimal(self.hw_total_energy),
                district=self.hw_district,
            )
            if self.method == engine.HOT_WATER_FORMULA
            else None,
        )

    @api.model
    def _result_values(self, result):
        """The part's fields from the engine's ``PartResult``."""
        values = {
            name: float(getattr(result, name))
            for name in (
                "amount",
                "consumption_total",
                "billed_consumption_total",
                "unit_price",
                "area_price",
                "main_consumption",
                "loss",
                "loss_percent",
                "minimum_per_m2",
            )
        }
        for name, value in (
            ("hw_fuel", result.fuel),
            ("hot_water_percent", result.hot_water_percent),
            ("estimated_area_share", result.estimated_area_share),
        ):
            if value is not None:
                values[name] = float(value)
        return values

    def _computation(self, steps, translate=None):
        """A share's computation in words, as the expense notice prints it.

        ``translate``: a ``_translator()`` shared by the shares of one computation."""
        self.ensure_one()
        translate = translate or self._translator()
        context = {"uom": self.uom, "currency": self.currency_id.name}
        text = ""
        for step in steps:
            words = self._step_words(step.code, self._step_values(step.values, context), translate)
            text += STEP_SEPARATORS.get(step.code, "\n") + words if text else words
        return text

    @api.model
    def _step_values(self, values, context):
        """A step's numbers as printed (STEP_FORMATS), with the key's name, the unit of
        measure and the currency."""
        printed = dict(context)
        for name, value in values.items():
            if name == "key":
                printed[name] = dict(AREA_KEYS)[value]
            else:
                printed[name] = format(value, STEP_FORMATS.get(name, ""))
        return printed

    def _translator(self):
        """``env._`` that looks each sentence up once: the shares of ten thousand units
        repeat the same dozen sentences, and every lookup costs more than the rest of
        the share's words."""
        sentences = {}

        def translate(source, **values):
            if source not in sentences:
                sentences[source] = self.env._(source)
            if not values:
                return sentences[source]
            try:
                return sentences[source] % values
            except (TypeError, ValueError, KeyError):
                return source % values  # a broken translation: env._ falls back too

        return translate

    def _step_words(self, code, values, translate=None):
        _ = translate or self.env._
        if code == engine.STEP_KEY_SHARE:
            return _(
                "%(key)s %(weight)s of %(whole)s: %(amount)s × %(weight)s / %(whole)s "
                "= %(share)s %(currency)s",
                **values,
            )
        if code == engine.STEP_AREA_ONLY:
            return _("Billed by area only: too much of the area was estimated.")
        if code == engine.STEP_RAISED:
            return _(
                "Measured %(used)s %(uom)s is below the minimum %(minimum)s %(uom)s/m² "
                "× %(area)s m²: raised (penalised).",
                **values,
            )
        if code == engine.STEP_CONSUMPTION:
            return _(
                "Consumption %(used)s %(uom)s × %(price)s %(currency)s/%(uom)s = "
                "%(part)s %(currency)s",
                **values,
            )
        if code == engine.STEP_EQUAL_SHARE:
            return _("equal share %(part)s %(currency)s", **values)
        if code == engine.STEP_AREA_SHARE:
            return _(
                "area %(area)s m² × %(price)s %(currency)s/m² = %(part)s %(currency)s", **values
            )
        if code == engine.STEP_KEY_REST:
            return _(
                "%(key)s %(weight)s × %(price)s %(currency)s = %(part)s %(currency)s", **values
            )
        if code == engine.STEP_WATER:
            return _(
                "Consumption %(used)s %(uom)s × %(price)s %(currency)s/%(uom)s = %(part)s "
                "%(currency)s; loss %(loss)s %(uom)s = %(loss_part)s %(currency)s",
                **values,
            )
        if code == engine.STEP_HOT_WATER:
            return _(
                "Hot water %(used)s %(uom)s × %(price)s %(currency)s/%(uom)s = "
                "%(share)s %(currency)s",
                **values,
            )
        if code == engine.STEP_TARIFF_BLOCK:
            return _("%(quantity)s %(uom)s × %(price)s = %(amount)s", **values)
        if code == engine.STEP_TARIFF_FEE:
            return _("fixed fee %(fee)s", **values)
        if code == engine.STEP_TARIFF_MINIMUM:
            return _("up to the minimum charge %(topup)s", **values)
        if code == engine.STEP_TARIFF_TAX:
            return _("tax %(tax)s", **values)
        if code == engine.STEP_TARIFF_TOTAL:
            return "= {total} {currency}".format(**values)
        if code == engine.STEP_ESTIMATED:
            return _("The consumption includes an estimate.")
        raise ValueError(f"Unknown computation step {code!r}.")
