import base64
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..engine import reading_import as import_engine
from ..engine import readings as readings_engine


class SiteReadingImportWizard(models.TransientModel):
    """Import a reading firm's file: all rows or none.

    The file is parsed (``engine.reading_import``), every row resolved to a meter of the
    current site and checked against the meter's history; any bad row is listed with
    its number and reason and nothing is written. Otherwise the readings are created in
    one batch (source "import"), so the readings' checks run once for the whole file.
    """

    _name = "site.reading.import.wizard"
    _description = "Import Meter Readings"
    _inherit = ["site.reading.import.mapping"]

    company_id = fields.Many2one(
        "res.company", string="Site", required=True, default=lambda self: self.env.company
    )
    file = fields.Binary(required=True, attachment=False)
    filename = fields.Char()
    profile_id = fields.Many2one(
        "site.reading.import.profile",
        string="Profile",
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
        help="The reading firm's saved file layout.",
    )
    partner_id = fields.Many2one("res.partner", string="Reading Firm")
    save_profile = fields.Boolean(
        string="Save Layout as Profile", help="Save this layout for the firm's next files."
    )
    profile_name = fields.Char(string="Profile Name")
    state = fields.Selection(
        [("draft", "File"), ("preview", "Preview"), ("error", "Errors"), ("done", "Done")],
        default="draft",
        required=True,
    )
    line_ids = fields.One2many("site.reading.import.wizard.line", "wizard_id", string="Rows")
    error_line_ids = fields.One2many(
        "site.reading.import.wizard.line",
        "wizard_id",
        string="Bad Rows",
        domain=[("status", "=", "error")],
    )
    row_count = fields.Integer(readonly=True)
    error_count = fields.Integer(readonly=True)
    created_count = fields.Integer(readonly=True)
    to_accept_count = fields.Integer(string="Awaiting Acceptance", readonly=True)
    reading_ids = fields.Many2many("site.meter.reading", string="Readings", readonly=True)
    summary = fields.Text(readonly=True)

    @api.onchange("profile_id")
    def _onchange_profile_id(self):
        if self.profile_id:
            self.update(self.profile_id._mapping_values())
            self.partner_id = self.profile_id.partner_id

    @api.onchange("filename")
    def _onchange_filename(self):
        if self.filename and not self.profile_id:
            name = self.filename.lower()
            if name.endswith((".xlsx", ".xlsm")):
                self.file_type = "xlsx"
            elif name.endswith((".csv", ".txt")):
                self.file_type = "csv"

    @api.model_create_multi
    def create(self, vals_list):
        # A profile chosen without the form's onchange (a button, a test) gives its layout.
        for vals in vals_list:
            if vals.get("profile_id"):
                profile = self.env["site.reading.import.profile"].browse(vals["profile_id"])
                for name, value in profile._mapping_values().items():
                    vals.setdefault(name, value)
                vals.setdefault("partner_id", profile.partner_id.id)
        return super().create(vals_list)

    # --- reading the file --------------------------------------------------------

    def _sheet_rows(self):
        """The file's rows, read within the configured limits (site.spreadsheet)."""
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose the file to import."))
        return self.env["site.spreadsheet"]._read_rows(
            base64.b64decode(self.file),
            self.file_type,
            filename=self.filename or self.env._("The file"),
            sheet_name=self.sheet_name or None,
            delimiter=self._csv_delimiter(),
            encoding=self.encoding or "utf-8",
        )

    def _parse(self):
        self.ensure_one()
        try:
            return import_engine.parse(
                self._sheet_rows(),
                self._engine_mapping(),
                today=fields.Date.context_today(self),
            )
        except import_engine.ImportFileError as error:
            raise UserError(str(error)) from error

    # --- resolving and checking the rows -----------------------------------------

    def _resolve_meters(self, rows):
        """({row number: meter}, {row number: error}) for the parsed rows."""
        Meter = self.env["site.meter"]
        field_name = self.match_by or "serial"
        label = dict(self._fields["match_by"]._description_selection(self.env))[field_name]
        refs = {row.meter_ref for row in rows}
        candidates = defaultdict(lambda: Meter)
        for meter in Meter.with_context(active_test=False).search(
            [("company_id", "=", self.company_id.id), (field_name, "in", list(refs))]
        ):
            candidates[meter[field_name].casefold()] |= meter
        kinds = dict(Meter._fields["kind"]._description_selection(self.env))
        meters, errors = {}, {}
        for row in rows:
            found = candidates.get(row.meter_ref.casefold(), Meter)
            if row.kind:
                found = found.filtered(lambda meter, kind=row.kind: meter.kind == kind)
            if not found:
                # Another site's meter is unknown here too: the file learns nothing of it.
                if row.kind and row.meter_ref.casefold() in candidates:
                    errors[row.row] = self.env._(
                        "meter %(ref)s is not a %(kind)s meter",
                        ref=row.meter_ref,
                        kind=kinds.get(row.kind, row.kind),
                    )
                else:
                    errors[row.row] = self.env._(
                        "unknown meter: no meter with %(label)s %(ref)s on this site",
                        label=label,
                        ref=row.meter_ref,
                    )
                continue
            if len(found) > 1:
                errors[row.row] = self.env._(
                    "%(ref)s matches several meters (%(kinds)s): map the meter kind column",
                    ref=row.meter_ref,
                    kinds=", ".join(kinds.get(k, k) for k in found.mapped("kind")),
                )
                continue
            meter = found
            if row.unit_code and (meter.unit_id.code or "").casefold() != row.unit_code.casefold():
                errors[row.row] = self.env._(
                    "meter %(ref)s is in unit %(unit)s, not %(code)s",
                    ref=row.meter_ref,
                    unit=meter.unit_id.code or self.env._("(none)"),
                    code=row.unit_code,
                )
                continue
            if not meter.active or meter.state in ("replaced", "removed"):
                errors[row.row] = self.env._(
                    "meter %(ref)s is no longer in service (%(state)s)",
                    ref=row.meter_ref,
                    state=dict(meter._fields["state"]._description_selection(self.env)).get(
                        meter.state
                    )
                    if meter.active
                    else self.env._("archived"),
                )
                continue
            meters[row.row] = meter
        return meters, errors

    def _check_rows(self, parsed):
        """(good rows with their meter, {row number: error}) of the whole file."""
        meters, errors = self._resolve_meters(parsed.rows)
        for error in parsed.errors:
            errors[error.row] = error.message
        resolved = [row for row in parsed.rows if row.row in meters]
        by_meter = defaultdict(list)
        for row in resolved:
            by_meter[meters[row.row]].append(row)
        # Two rows for one meter on one day under different references (serial, M-Bus).
        for meter, rows in by_meter.items():
            seen = {}
            for row in rows:
                if row.date in seen:
                    errors[row.row] = self.env._(
                        "duplicate row: meter %(meter)s on %(date)s is already in row %(row)s",
                        meter=meter.serial,
                        date=row.date,
                        row=seen[row.date],
                    )
                else:
                    seen[row.date] = row.row
        all_meters = self.env["site.meter"].browse({meter.id for meter in by_meter})
        history = self.env["site.meter.reading"]._histories(all_meters)
        for meter, rows in by_meter.items():
            rows = [row for row in rows if row.row not in errors]
            refused = import_engine.check_sequence(
                [(item["date"], item["value"]) for item in history[meter.id]],
                rows,
                meter._rollover_at(),
                readings_engine.consumption,
            )
            errors.update(refused)
        good = [(row, meters[row.row]) for row in resolved if row.row not in errors]
        return good, errors

    def _write_lines(self, parsed, good, errors):
        self.ensure_one()
        meter_of = {row.row: meter for row, meter in good}
        values = []
        for row in parsed.rows:
            values.append(
                {
                    "wizard_id": self.id,
                    "row": row.row,
                    "meter_ref": row.meter_ref,
                    "meter_id": meter_of[row.row].id if row.row in meter_of else False,
                    "date": row.date,
                    "value": float(row.value),
                    "status": "error" if row.row in errors else "ok",
                    "message": errors.get(row.row, ""),
                }
            )
        for error in parsed.errors:
            values.append(
                {
                    "wizard_id": self.id,
                    "row": error.row,
                    "meter_ref": error.meter_ref,
                    "status": "error",
                    "message": error.message,
                }
            )
        self.line_ids.unlink()
        self.env["site.reading.import.wizard.line"].create(values)
        self.write(
            {
                "row_count": len(parsed.rows) + len(parsed.errors),
                "error_count": len(errors),
            }
        )

    def _analyse(self):
        self.ensure_one()
        parsed = self._parse()
        good, errors = self._check_rows(parsed)
        self._write_lines(parsed, good, errors)
        return parsed, good, errors

    # --- actions -----------------------------------------------------------------

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Readings"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_preview(self):
        self.ensure_one()
        _parsed, _good, errors = self._analyse()
        self.write(
            {
                "state": "error" if errors else "preview",
                "summary": self._errors_text(errors) if errors else False,
            }
        )
        return self._reopen()

    def _errors_text(self, errors):
        lines = [
            self.env._(
                "%(count)s bad row(s): nothing was imported. Correct the file and try again.",
                count=len(errors),
            )
        ]
        lines += [
            self.env._("Row %(row)s: %(reason)s", row=row, reason=reason)
            for row, reason in sorted(errors.items())
        ]
        return "\n".join(lines)

    def action_import(self):
        """All or nothing: with any bad row, list them all and write nothing."""
        self.ensure_one()
        if self.state == "done":
            raise UserError(self.env._("This file was already imported."))
        _parsed, good, errors = self._analyse()
        if errors:
            self.write({"state": "error", "summary": self._errors_text(errors)})
            return self._reopen()
        note = self.env._("Imported from %(file)s", file=self.filename or self.env._("a file"))
        values = [
            {
                "meter_id": meter.id,
                "date": row.date,
                "value": float(row.value),
                "source": "import",
                "note": self.env._("%(note)s, row %(row)s", note=note, row=row.row),
            }
            for row, meter in good
        ]
        try:
            with self.env.cr.savepoint():
                readings = self.env["site.meter.reading"].create(values)
        except ValidationError as error:
            self.write(
                {
                    "state": "error",
                    "summary": self.env._(
                        "Nothing was imported: %(error)s",
                        error=error.args[0] if error.args else error,
                    ),
                }
            )
            return self._reopen()
        to_accept = readings.filtered(lambda reading: reading.state == "to_accept")
        if self.save_profile:
            self._save_profile()
        self.env["site.reading.campaign"].search(
            [("company_id", "=", self.company_id.id), ("state", "=", "in_progress")]
        )._sync_readings()
        self.write(
            {
                "state": "done",
                "reading_ids": [fields.Command.set(readings.ids)],
                "created_count": len(readings),
                "to_accept_count": len(to_accept),
                "summary": self.env._(
                    "%(created)s reading(s) imported, %(flagged)s awaiting acceptance.",
                    created=len(readings),
                    flagged=len(to_accept),
                ),
            }
        )
        return self._reopen()

    def _save_profile(self):
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._("Choose the reading firm to save its profile."))
        values = dict(self._mapping_values(), partner_id=self.partner_id.id)
        if self.profile_id and not self.profile_name:
            if not self.profile_id.has_access("write"):
                raise UserError(
                    self.env._(
                        "The profile %(profile)s is every site's: only a Site Administrator "
                        "changes it. Give a profile name to save this layout for %(site)s.",
                        profile=self.profile_id.display_name,
                        site=self.company_id.name,
                    )
                )
            self.profile_id.write(values)
            return self.profile_id
        values["name"] = self.profile_name or self.filename or self.partner_id.name
        values["company_id"] = self.company_id.id
        profile = self.env["site.reading.import.profile"].create(values)
        self.profile_id = profile
        return profile

    def action_save_profile(self):
        self.ensure_one()
        self._save_profile()
        return self._reopen()

    def action_back(self):
        self.ensure_one()
        self.line_ids.unlink()
        self.write({"state": "draft", "summary": False, "error_count": 0, "row_count": 0})
        return self._reopen()

    def action_view_readings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "site_metering.action_site_meter_reading"
        )
        action["domain"] = [("id", "in", self.reading_ids.ids)]
        action["context"] = {}
        return action
