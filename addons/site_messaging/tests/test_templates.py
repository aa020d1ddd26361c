from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..engine import rendering
from .common import MessagingCase


@tagged("post_install", "-at_install")
class TestTemplates(MessagingCase):
    def test_merge_fields_in_each_recipients_language(self):
        plan = self.plan(amount_monthly=2400.0)
        self.env["site.accrual.run"]._accrue(plan, date(2026, 1, 1))
        recipients = {self.ali: self.u1, self.cem: self.u3}
        values = self.template._merge_values(self.site, recipients)
        _subject, ali_text = self.template._render_for(self.ali, values[self.ali.id])
        _subject, cem_text = self.template._render_for(self.cem, values[self.cem.id])
        # land shares 70 and 80 of 240 of 2400
        self.assertEqual(ali_text, "Sayın Ali, A-1 borcu 700,00 ₺, son ödeme 10.01.2026.")
        self.assertEqual(cem_text, "Dear Cem, A-3 owes 900.00 ₺, due 01/10/2026.")

    def test_balance_by_charge_type_of_the_persons_own_charges(self):
        elevator = self.charge_type("ELEVATOR")
        plans = self.plan(amount_monthly=2400.0) | self.plan(
            name="Elevator", charge_type_id=elevator.id, amount_monthly=240.0
        )
        self.env["site.accrual.run"]._accrue(plans, date(2026, 1, 1))
        template = self.make_template("Detail", "{{unit}}: {{balance}}\n{{balance_by_type}}")
        # A-2's running costs are its tenant's: Cem's message counts his own only
        values = template._merge_values(self.site, {self.cem: self.u2 | self.u3})
        _subject, text = template._render_for(self.cem, values[self.cem.id])
        self.assertEqual(text, "A-2, A-3: 990.00 ₺\nDues: 900.00 ₺\nElevator Revision: 90.00 ₺")

    def test_unknown_merge_field_is_named_when_saving(self):
        with self.assertRaisesRegex(ValidationError, r"\{\{iban\}\}"):
            self.make_template("Bad", "Pay to {{iban}}")
        with self.assertRaisesRegex(ValidationError, r"tr_TR.*\{\{borc\}\}"):
            self.template.with_context(lang="tr_TR").body = "Borç: {{borc}}"

    def test_sms_length_while_editing(self):
        template = self.make_template("Short", "Aidat borcunuz {{balance}}")
        self.assertEqual(
            (template.sms_encoding, template.sms_length, template.sms_segments), ("gsm7", 30, 1)
        )
        turkish = template.with_context(lang="tr_TR")
        turkish.body = "Sayın üyemiz, aidat borcunuz " + "ş" * 50
        self.assertEqual((turkish.sms_encoding, turkish.sms_segments), ("ucs2", 2))
        self.assertEqual(template.with_context(lang="en_US").sms_encoding, "gsm7")

    def test_every_merge_field_has_a_value(self):
        values = self.template._merge_values(self.site, {self.ali: self.u1})[self.ali.id]
        self.assertEqual(set(values), set(rendering.MERGE_FIELDS))
        self.assertEqual(values["payment_link"], "")  # site_portal fills it in

    def test_reading_window_in_the_recipients_language(self):
        template = self.make_template(
            "Readings", "Read {{unit}}: {{reading_window}}", "Okuma {{unit}}: {{reading_window}}"
        )
        wizard = self.wizard(
            template=template,
            audience="owner",
            reading_date_from=date(2026, 12, 20),
            reading_date_to=date(2026, 12, 25),
        )
        messages, _trap = self.send(wizard)
        bodies = {m.partner_id: m.body for m in messages}
        self.assertEqual(bodies[self.ali], "Okuma A-1: 20.12.2026 – 25.12.2026")
        self.assertEqual(bodies[self.cem], "Read A-3: 12/20/2026 – 12/25/2026")
