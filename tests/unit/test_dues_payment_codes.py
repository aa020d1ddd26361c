import base64
from decimal import Decimal

import pytest
from conftest import load_engine

codes = load_engine("site_dues", "payment_codes")
D = Decimal

PL_ACCOUNT = "PL61 1090 1014 0000 0712 1981 2874"
UA_IBAN = "UA21 3223 1300 0002 6007 2335 6600 1"


# References


def test_rf_reference_iso_11649_example():
    assert codes.rf_reference("539007547034") == "RF18539007547034"
    assert codes.rf_reference("5390 0754 7034") == "RF18539007547034"
    assert codes.is_valid_rf("RF18539007547034")
    assert codes.is_valid_rf("RF18 5390 0754 7034")


def test_rf_reference_with_letters_round_trips():
    reference = codes.rf_reference("site12unit0042")
    assert reference.startswith("RF") and reference.endswith("SITE12UNIT0042")
    assert codes.is_valid_rf(reference)


@pytest.mark.parametrize(
    "reference", ["RF19539007547034", "RF18539007547035", "XX18539007547034", "RF18", "RF1"]
)
def test_rf_reference_invalid(reference):
    assert not codes.is_valid_rf(reference)


@pytest.mark.parametrize("base", ["", "A" * 22, "ÜNİT-12"])
def test_rf_reference_refuses_bad_bases(base):
    with pytest.raises(ValueError):
        codes.rf_reference(base)


def test_numeric_reference_luhn():
    # the textbook Luhn example: 7992739871 -> check digit 3
    assert codes.numeric_reference(7992739871) == "79927398713"
    assert codes.numeric_reference("000 123") == "0001230"
    assert codes.is_valid_numeric_reference("79927398713")
    assert codes.is_valid_numeric_reference("7992 7398 713")
    assert not codes.is_valid_numeric_reference("79927398710")
    assert not codes.is_valid_numeric_reference("7")
    with pytest.raises(ValueError):
        codes.numeric_reference("12A4")


@pytest.mark.parametrize(
    "iban, valid",
    [
        ("PL61109010140000071219812874", True),
        ("TR33 0006 1005 1978 6457 8413 26", True),
        ("UA213223130000026007233566001", True),
        ("NL91ABNA0417164300", True),
        ("nl91 abna 0417 1643 00", True),
        ("PL61109010140000071219812875", False),  # check digits
        ("PL6110901014000007121981287", False),  # Polish IBANs have 28 characters
        ("UA78322669000002600501210713", False),
        ("", False),
    ],
)
def test_iban(iban, valid):
    assert codes.iban_is_valid(iban) is valid


# Poland: ZBP 2D code


def test_zbp_payload():
    payload = codes.zbp_payload(
        "123-456-32-18",
        PL_ACCOUNT,
        D("123.45"),
        "Wspólnota Mieszkaniowa Kwiatowa 5",
        "Opłata | lokal 12, marzec 2025, zaliczka",
    )
    assert payload == (
        "1234563218|PL|61109010140000071219812874|012345|Wspólnota Mieszkanio"
        "|Opłata lokal 12, marzec 2025, za|||"
    )
    fields = payload.split("|")
    assert [len(f) for f in fields] == [10, 2, 26, 6, 20, 32, 0, 0, 0]


def test_zbp_payload_without_nip_and_at_the_largest_amount():
    payload = codes.zbp_payload(
        "", "61109010140000071219812874", D("9999.99"), "WM Kwiatowa", "Lokal 1"
    )
    assert payload == "|PL|61109010140000071219812874|999999|WM Kwiatowa|Lokal 1|||"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"amount": D("10000.00")}, "9,999.99"),
        ({"amount": D("0")}, "positive"),
        ({"account": "PL61 1090 1014 0000 0712 1981 2875"}, "account"),
        ({"account": "1090 1014 0000 0712 1981 2874"}, "account"),
        ({"nip": "1234563219"}, "NIP"),
        ({"name": " | "}, "name"),
        ({"country": "POL"}, "country"),
    ],
)
def test_zbp_payload_validation(kwargs, message):
    arguments = {
        "nip": "1234563218",
        "account": PL_ACCOUNT,
        "amount": D("1.00"),
        "name": "WM",
        "title": "Lokal 1",
        **kwargs,
    }
    with pytest.raises(ValueError, match=message):
        codes.zbp_payload(**arguments)


# EU: EPC069-12


def test_epc_payload_with_remittance():
    payload = codes.epc_payload(
        "Stichting Voorbeeld",
        "NL91 ABNA 0417 1643 00",
        D("12.34"),
        remittance="Dues 2025-03 unit 12",
    )
    assert payload == (
        "BCD\n002\n1\nSCT\n\nStichting Voorbeeld\nNL91ABNA0417164300\nEUR12.34\n\n\n"
        "Dues 2025-03 unit 12"
    )


def test_epc_payload_with_reference_and_bic():
    payload = codes.epc_payload(
        "Stichting Voorbeeld",
        "NL91ABNA0417164300",
        D("1000"),
        bic="abnanl2a",
        reference="RF18 5390 0754 7034",
    )
    assert payload == (
        "BCD\n002\n1\nSCT\nABNANL2A\nStichting Voorbeeld\nNL91ABNA0417164300\nEUR1000.00\n\n"
        "RF18539007547034"
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"currency": "PLN"},
        {"iban": "NL91ABNA0417164301"},
        {"bic": "ABN"},
        {"amount": D("0")},
        {"amount": D("1000000000.00")},
        {"reference": "RF19539007547034"},
        {"reference": "RF18539007547034", "remittance": "both"},
        {"name": "\n"},
    ],
)
def test_epc_payload_validation(kwargs):
    arguments = {"name": "X", "iban": "NL91ABNA0417164300", "amount": D("1"), **kwargs}
    with pytest.raises(ValueError):
        codes.epc_payload(**arguments)


def test_epc_free_text_is_one_line_and_cut():
    payload = codes.epc_payload("A\nB", "NL91ABNA0417164300", D("1"), remittance="x" * 200)
    lines = payload.split("\n")
    assert lines[5] == "A B"
    assert lines[10] == "x" * 140


# Ukraine: NBU format 002


def test_nbu_payload():
    payload = codes.nbu_payload(
        "ОСББ «Світанок»", UA_IBAN, D("576.45"), "40723825", "Внесок за березень 2025, кв. 24"
    )
    assert payload == (
        "BCD\n002\n1\nUCT\n\nОСББ «Світанок»\nUA213223130000026007233566001\nUAH576.45\n"
        "40723825\n\n\nВнесок за березень 2025, кв. 24"
    )


def test_nbu_link_is_the_address_and_base64url_of_the_data():
    payload = codes.nbu_payload("ОСББ «Світанок»", UA_IBAN, D("100"), "1234567890", "Внесок")
    assert "\nUAH100.00\n1234567890\n" in payload
    link = codes.nbu_link(payload)
    # "BCD\n002\n1\nUCT\n" opens every format-002 UTF-8 code the same way
    assert link.startswith("https://bank.gov.ua/qr/QkNECjAwMgoxClVDVAoK")
    encoded = link.removeprefix("https://bank.gov.ua/qr/")
    assert "=" not in encoded and "+" not in encoded and "/" not in encoded
    assert base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode() == payload


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"iban": "PL61109010140000071219812874"}, "UA"),
        ({"iban": "UA213223130000026007233566002"}, "UA"),
        ({"edrpou": "1234567"}, "EDRPOU"),
        ({"amount": D("-1")}, "amount"),
        ({"purpose": ""}, "purpose"),
        ({"name": "Ж" * 70, "purpose": "Ж" * 140}, "500 bytes"),
    ],
)
def test_nbu_payload_validation(kwargs, message):
    arguments = {
        "name": "ОСББ",
        "iban": UA_IBAN,
        "amount": D("1"),
        "edrpou": "40723825",
        "purpose": "Внесок",
        **kwargs,
    }
    with pytest.raises(ValueError, match=message):
        codes.nbu_payload(**arguments)
