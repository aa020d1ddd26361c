from conftest import load_engine

delivery = load_engine("site_messaging", "delivery")


def test_document_ref():
    assert delivery.document_ref("site.charge.notice", 7) == "site.charge.notice,7"
    assert delivery.document_ref(None, None) == ""
    assert delivery.document_ref("site.charge.notice", 0) == ""


def test_dedup_key_and_new_keys():
    key = delivery.dedup_key(3, 5, "sms", "site.charge.notice,7")
    assert key == (3, 5, "sms", "site.charge.notice,7")
    assert delivery.dedup_key("3", 5, "sms", None).document == ""
    other_channel = delivery.dedup_key(3, 5, "email", "site.charge.notice,7")
    wanted = [key, other_channel, key]
    assert delivery.new_keys(wanted, existing=[]) == [key, other_channel]
    assert delivery.new_keys(wanted, existing={key}) == [other_channel]


def test_gateway_error():
    error = delivery.GatewayError("Netgsm 30: invalid credentials", code="30")
    assert not error.transient and error.reason.startswith("Netgsm 30")
    assert delivery.GatewayError("timeout", transient=True).transient
    assert error.results == []
    partial = delivery.GatewayError("SMSAPI 203", transient=True, results=[{"uuid": "a"}])
    assert partial.results == [{"uuid": "a"}]
