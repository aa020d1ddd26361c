import pytest
from conftest import load_engine

paylink = load_engine("site_portal", "paylink")

SECRET = "s3cret"
NOW = 1_800_000_000


def test_round_trip():
    token = paylink.sign(SECRET, 12, 34, 150050, NOW + 60)
    assert paylink.verify(SECRET, token, NOW) == paylink.PayLink(12, 34, 150050, NOW + 60)


@pytest.mark.parametrize("field", [0, 1, 2, 3])
def test_any_changed_field_breaks_the_signature(field):
    token = paylink.sign(SECRET, 12, 34, 150050, NOW + 60)
    parts = token.split("-", 4)
    parts[field] = str(int(parts[field]) + 1)
    with pytest.raises(paylink.PayLinkError):
        paylink.verify(SECRET, "-".join(parts), NOW)


def test_other_secret_expired_and_malformed():
    token = paylink.sign(SECRET, 12, 34, 100, NOW + 60)
    with pytest.raises(paylink.PayLinkError):
        paylink.verify("other", token, NOW)
    with pytest.raises(paylink.PayLinkError, match="Expired"):
        paylink.verify(SECRET, token, NOW + 61)
    for bad in ("", "garbage", "1-2-3-4", "a-2-3-4-sig", None):
        with pytest.raises(paylink.PayLinkError):
            paylink.verify(SECRET, bad, NOW)


def test_no_link_for_nothing():
    with pytest.raises(paylink.PayLinkError):
        paylink.sign(SECRET, 12, 34, 0, NOW + 60)


def test_signature_may_hold_dashes():
    # base64url signatures contain "-" and "_": verification must not split them.
    tokens = [paylink.sign(SECRET, 12, 34, amount, NOW + 60) for amount in range(1, 200)]
    dashed = [token for token in tokens if "-" in token.split("-", 4)[4]]
    assert dashed
    for token in dashed:
        assert paylink.verify(SECRET, token, NOW).unit_id == 12
