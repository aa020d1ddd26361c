import pytest
from conftest import load_engine

paylink = load_engine("site_portal", "paylink")

SECRET = "s3cret"
NOW = 1_800_000_000


def test_round_trip():
    token = paylink.sign(SECRET, [(12, 34, 150050)], NOW + 60)
    assert paylink.verify(SECRET, token, NOW) == paylink.PayLink(
        (paylink.PayItem(12, 34, 150050),), NOW + 60
    )


def test_one_item_keeps_the_first_format():
    # Links sent before links held several items still open.
    token = paylink.sign(SECRET, [(12, 34, 150050)], NOW + 60)
    assert token.startswith(f"12-34-150050-{NOW + 60}-")


def test_several_units_round_trip():
    items = [(12, 34, 150050), (13, 34, 20000), (14, 35, 1)]
    link = paylink.verify(SECRET, paylink.sign(SECRET, items, NOW + 60), NOW)
    assert [(i.unit_id, i.partner_id, i.amount_minor) for i in link.items] == items
    assert link.amount_minor == 170051


@pytest.mark.parametrize("field", [0, 1, 2, 3])
def test_any_changed_field_breaks_the_signature(field):
    token = paylink.sign(SECRET, [(12, 34, 150050)], NOW + 60)
    parts = token.split("-", 4)
    parts[field] = str(int(parts[field]) + 1)
    with pytest.raises(paylink.PayLinkError):
        paylink.verify(SECRET, "-".join(parts), NOW)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda cols: [cols[0].replace("13", "15"), *cols[1:]],  # another unit
        lambda cols: [cols[0], cols[1], cols[2].replace("20000", "2000000")],  # more
        lambda cols: [cols[0].split(".")[0], cols[1].split(".")[0], cols[2].split(".")[0]],
        lambda cols: [cols[0] + ".16", cols[1] + ".34", cols[2] + ".100"],  # an item added
    ],
)
def test_changing_an_item_of_several_breaks_the_signature(tamper):
    token = paylink.sign(SECRET, [(12, 34, 150050), (13, 34, 20000)], NOW + 60)
    parts = token.split("-", 4)
    forged = "-".join([*tamper(parts[:3]), *parts[3:]])
    with pytest.raises(paylink.PayLinkError):
        paylink.verify(SECRET, forged, NOW)


def test_other_secret_expired_and_malformed():
    token = paylink.sign(SECRET, [(12, 34, 100)], NOW + 60)
    with pytest.raises(paylink.PayLinkError):
        paylink.verify("other", token, NOW)
    with pytest.raises(paylink.PayLinkError, match="Expired"):
        paylink.verify(SECRET, token, NOW + 61)
    for bad in ("", "garbage", "1-2-3-4", "a-2-3-4-sig", "1.2-3-4-5-sig", "1..2-3.4-5.6-7-s", None):
        with pytest.raises(paylink.PayLinkError):
            paylink.verify(SECRET, bad, NOW)


def test_no_link_for_nothing():
    with pytest.raises(paylink.PayLinkError):
        paylink.sign(SECRET, [(12, 34, 0)], NOW + 60)
    with pytest.raises(paylink.PayLinkError):
        paylink.sign(SECRET, [], NOW + 60)
    with pytest.raises(paylink.PayLinkError, match="once"):
        paylink.sign(SECRET, [(12, 34, 10), (12, 34, 20)], NOW + 60)
    with pytest.raises(paylink.PayLinkError, match="1 to"):
        paylink.sign(SECRET, [(unit, 34, 10) for unit in range(paylink.MAX_ITEMS + 1)], NOW)


def test_signature_may_hold_dashes():
    # base64url signatures contain "-" and "_": verification must not split them.
    tokens = [paylink.sign(SECRET, [(12, 34, amount)], NOW + 60) for amount in range(1, 200)]
    dashed = [token for token in tokens if "-" in token.split("-", 4)[4]]
    assert dashed
    for token in dashed:
        assert paylink.verify(SECRET, token, NOW).items[0].unit_id == 12
