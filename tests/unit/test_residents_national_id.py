import pytest
from conftest import load_engine

national_id = load_engine("site_residents", "national_id")


@pytest.mark.parametrize(
    "number, country",
    [
        ("10000000146", "TR"),
        ("172 917 160 60", "TR"),
        ("44051401359", "PL"),
        ("02070803628", "PL"),
        ("1759013776", "UA"),
        ("3148901285", "ua"),
    ],
)
def test_valid(number, country):
    result = national_id.check(number, country)
    assert result.valid, result
    assert result.number == number.replace(" ", "")


@pytest.mark.parametrize(
    "number, country, reason",
    [
        ("17291716061", "TR", "checksum"),
        ("07291716060", "TR", "malformed"),
        ("1729171606", "TR", "length"),
        ("44051401358", "PL", "checksum"),
        ("44131401350", "PL", "impossible"),
        ("4405140135A", "PL", "digits_only"),
        ("1759013775", "UA", "checksum"),
        ("175901377", "UA", "length"),
    ],
)
def test_invalid_with_reason(number, country, reason):
    result = national_id.check(number, country)
    assert not result.valid
    assert result.reason == reason


def test_pesel_gives_birth_date():
    assert str(national_id.check("44051401359", "PL").birth_date) == "1944-05-14"


def test_other_countries_accept_any_text():
    assert national_id.check("AB 12", "DE").valid
    assert national_id.scheme_for("DE") is None
