"""Which decoded M-Bus record of a meter model is its billing register.

A decoded telegram (site_collector) holds many records: energy, volume, flow, temperatures,
stored values of the last due date... A meter model lists, in order, the registers to look
for; the first ``billing`` line that matches a record gives the reading's value, converted
from the record's base unit (Wh, m^3, HCA units) to the meter's register unit (kWh, m³,
units) by its factor. A model without lines uses the defaults of its kind (``DEFAULTS``).
"""

from odoo import api, fields, models

FUNCTIONS = [
    ("instantaneous", "Instantaneous"),
    ("maximum", "Maximum"),
    ("minimum", "Minimum"),
    ("error", "During Error State"),
]
# site_collector's spelling of the DIF function field.
FUNCTION_NAMES = {
    "instantaneous value": "instantaneous",
    "maximum value": "maximum",
    "minimum value": "minimum",
    "value during error state": "error",
}
ROLES = [
    ("billing", "Billing Value"),
    ("due_date", "Due-Date Value"),
]
J_PER_KWH = 3_600_000

# Per meter kind: (quantity, unit, factor, divisor, storage number, role), in this order.
DEFAULTS = {
    "heat": [
        ("Energy", "Wh", 0.001, 1, 0, "billing"),
        ("Energy", "J", 1, J_PER_KWH, 0, "billing"),
    ],
    "electricity": [("Energy", "Wh", 0.001, 1, 0, "billing")],
    "cold_water": [("Volume", "m^3", 1, 1, 0, "billing")],
    "hot_water": [("Volume", "m^3", 1, 1, 0, "billing")],
    "gas": [("Volume", "m^3", 1, 1, 0, "billing")],
    "hca": [
        ("H.C.A.", "Units for H.C.A.", 1, 1, 0, "billing"),
        ("H.C.A.", "Units for H.C.A.", 1, 1, 1, "due_date"),
    ],
}


def _norm(text):
    return (text or "").strip().lower()


def record_matches(spec, record):
    """True when a decoded record is the register ``spec`` (a dict of a register line)."""
    function = FUNCTION_NAMES.get(_norm(record.get("function")), _norm(record.get("function")))
    return (
        _norm(record.get("quantity")) == _norm(spec["quantity"])
        and (not spec.get("unit") or _norm(record.get("unit")) == _norm(spec["unit"]))
        and function == spec.get("function", "instantaneous")
        and int(record.get("storage_number") or 0) == int(spec.get("storage_number") or 0)
        and int(record.get("tariff") or 0) == int(spec.get("tariff") or 0)
        and int(record.get("device") or 0) == int(spec.get("device") or 0)
        and isinstance(record.get("value"), (int, float))
        and not isinstance(record.get("value"), bool)
    )


def pick_values(specs, records):
    """{role: (value in register units, spec)} of the first matching line per role."""
    found = {}
    for spec in specs:
        if spec["role"] in found:
            continue
        for record in records:
            if record_matches(spec, record):
                value = record["value"] * spec["factor"] / (spec.get("divisor") or 1)
                found[spec["role"]] = (round(value, 6), spec)
                break
    return found


def describe(spec):
    parts = [spec["quantity"], spec.get("unit") or ""]
    if spec.get("storage_number"):
        parts.append(f"storage {spec['storage_number']}")
    if spec.get("tariff"):
        parts.append(f"tariff {spec['tariff']}")
    if spec.get("device"):
        parts.append(f"device {spec['device']}")
    if spec.get("function", "instantaneous") != "instantaneous":
        parts.append(spec["function"])
    if spec["factor"] != 1:
        parts.append(f"× {spec['factor']:g}")
    if (spec.get("divisor") or 1) != 1:
        parts.append(f"÷ {spec['divisor']:g}")
    return " ".join(p for p in parts if p)


class SiteMeterRegister(models.Model):
    """One register of a meter model, as site_collector names the decoded records."""

    _name = "site.meter.register"
    _description = "Meter Model Register"
    _order = "model_id, sequence, id"

    model_id = fields.Many2one(
        "site.meter.model", string="Meter Model", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    quantity = fields.Char(
        required=True,
        help='Quantity of the decoded record, as site_collector names it: "Energy", '
        '"Volume", "H.C.A." ...',
    )
    function = fields.Selection(FUNCTIONS, default="instantaneous", required=True)
    storage_number = fields.Integer(
        help="0: the current value; 1: the value stored on the last due date (allocators)."
    )
    tariff = fields.Integer()
    device = fields.Integer(string="Device / Subunit")
    unit = fields.Char(
        string="Record Unit",
        help='Base unit of the decoded record ("Wh", "J", "m^3", "Units for H.C.A."); '
        "empty matches any unit.",
    )
    factor = fields.Float(
        string="Multiply By",
        digits=(16, 6),
        default=1.0,
        required=True,
        help="Scales the record's value into the meter's register unit, e.g. 0.001 for Wh → kWh.",
    )
    divisor = fields.Float(
        string="Divide By",
        digits=(16, 3),
        default=1.0,
        required=True,
        help="For scales a multiplier cannot write exactly, e.g. 3600000 for J → kWh.",
    )
    role = fields.Selection(
        ROLES,
        default="billing",
        required=True,
        help="Billing value: the reading's value. Due-date value: kept beside it "
        "(allocators' value of the last due date).",
    )
    use_for_billing = fields.Boolean(compute="_compute_use_for_billing")

    _factor_positive = models.Constraint(
        "CHECK (factor > 0 AND divisor > 0)", "The scale of a register must be positive."
    )

    @api.depends("role")
    def _compute_use_for_billing(self):
        for line in self:
            line.use_for_billing = line.role == "billing"

    def _spec(self):
        self.ensure_one()
        return {
            "quantity": self.quantity,
            "function": self.function,
            "storage_number": self.storage_number,
            "tariff": self.tariff,
            "device": self.device,
            "unit": self.unit,
            "factor": self.factor,
            "divisor": self.divisor,
            "role": self.role,
        }


def default_specs(kind):
    return [
        {
            "quantity": quantity,
            "function": "instantaneous",
            "storage_number": storage,
            "tariff": 0,
            "device": 0,
            "unit": unit,
            "factor": factor,
            "divisor": divisor,
            "role": role,
        }
        for quantity, unit, factor, divisor, storage, role in DEFAULTS.get(kind, [])
    ]
