from datetime import date
from decimal import Decimal

import pytest
from conftest import load_engine

rendering = load_engine("site_messaging", "rendering")


def test_fields_replaced_in_recipients_language():
    tr = "Sayın {{partner_name}}, {{unit}} borcunuz {{ balance }}, son ödeme {{due_date}}."
    en = "Dear {{partner_name}}, {{unit}} owes {{balance}}, due {{due_date}}."
    day = date(2026, 12, 15)
    values_tr = {
        "partner_name": "Ayşe Demir",
        "unit": "A-1",
        "balance": rendering.format_amount(Decimal("1234.5"), "tr_TR", "TRY"),
        "due_date": rendering.format_date(day, "tr_TR"),
    }
    assert (
        rendering.render(tr, values_tr)
        == "Sayın Ayşe Demir, A-1 borcunuz 1.234,50 TRY, son ödeme 15.12.2026."
    )
    values_en = dict(
        values_tr,
        balance=rendering.format_amount(Decimal("1234.5"), "en_US", "TRY"),
        due_date=rendering.format_date(day, "en_US"),
    )
    assert rendering.render(en, values_en) == (
        "Dear Ayşe Demir, A-1 owes 1,234.50 TRY, due 12/15/2026."
    )


def test_amount_formats():
    assert rendering.format_amount(Decimal("1234567.005"), "pl_PL", "PLN") == (
        "1\u00a0234\u00a0567,01 PLN"
    )
    assert rendering.format_amount(-12.5, "uk_UA") == "-12,50"
    assert rendering.format_amount(0, "en_US", "EUR") == "0.00 EUR"


def test_missing_value_is_empty():
    assert rendering.render("Pay: {{payment_link}}.", {}) == "Pay: ."


def test_unknown_field_is_named():
    with pytest.raises(rendering.UnknownMergeField) as error:
        rendering.render("Hello {{partner_name}} {{ iban }}", {"partner_name": "Ali"})
    assert error.value.field == "iban"
    assert "{{iban}}" in str(error.value)
    assert "partner_name" in str(error.value)


def test_fields_in_and_check():
    body = "{{unit}} {{balance}} {{unit}}"
    assert rendering.fields_in(body) == ["unit", "balance"]
    rendering.check(body)
    with pytest.raises(rendering.UnknownMergeField):
        rendering.check("{{unit}}", known=("balance",))


def test_balance_by_type_skips_zero():
    lines = rendering.balance_by_type(
        {"Aidat": Decimal("1000"), "Su": Decimal("0"), "Gecikme": Decimal("12.345")},
        "tr_TR",
        "TRY",
    )
    assert lines == "Aidat: 1.000,00 TRY\nGecikme: 12,35 TRY"
