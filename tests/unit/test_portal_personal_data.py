import json
from datetime import date, datetime
from decimal import Decimal

from conftest import load_engine

access = load_engine("site_portal", "access")
personal_data = load_engine("site_portal", "personal_data")

TODAY = date(2026, 12, 5)
ALI, CO_OWNER, FAMILY = 10, 11, 12
ALI_USER, OTHER_USER = 100, 101


def ali():
    return {
        "id": ALI,
        "name": "Ali Yılmaz",
        "email": "ali@example.com",
        "phone": "+90 555 000 00 00",
        "national_id": "10000000146",
        "street": False,
        "write_uid": 1,  # not listed: never written out
    }


def accesses():
    grants = [access.Grant(1, "owner", ALI, None, date(2020, 1, 1), date(2025, 6, 30))]
    return access.unit_access(grants, TODAY)


def build(rows, person=None):
    return personal_data.assemble(
        person or ali(), rows, accesses(), [ALI_USER], datetime(2026, 12, 5, 9, 30, 15, 123)
    )


def test_person_keeps_listed_keys_only_with_plain_values():
    document = build({})
    assert document["format_version"] == personal_data.FORMAT_VERSION
    assert document["generated_at"] == "2026-12-05T09:30:15"
    assert document["person"]["national_id"] == "10000000146"
    assert document["person"]["street"] is None
    assert "write_uid" not in document["person"]
    assert set(document["person"]) == set(personal_data.PERSON_KEYS)
    assert set(personal_data.SECTIONS) <= set(document)


def test_co_owners_relation_and_number_are_left_out():
    rows = {
        "unit_relations": [
            {
                "partner_id": ALI,
                "unit": "A-1",
                "role": "owner",
                "share": 50.0,
                "date_from": date(2020, 1, 1),
                "date_to": date(2025, 6, 30),
                "lives_here": False,
            },
            {
                "partner_id": CO_OWNER,
                "unit": "A-1",
                "role": "owner",
                "share": 50.0,
                "date_from": date(2020, 1, 1),
                "national_id": "20000000046",
            },
        ]
    }
    relations = build(rows)["unit_relations"]
    assert relations == [
        {
            "site": None,
            "unit": "A-1",
            "role": "owner",
            "share": 50.0,
            "date_from": "2020-01-01",
            "date_to": "2025-06-30",
            "lives_here": False,
            "household_of": None,
        }
    ]
    assert "20000000046" not in personal_data.dumps(build(rows)).decode()


def test_ledger_lines_follow_the_persons_access():
    line = {"unit_id": 1, "partner_id": ALI, "date": date(2024, 3, 1), "debit": Decimal("500.00")}
    late_payment = dict(line, date=date(2026, 1, 10))  # after leaving: still theirs
    co_owner = dict(line, partner_id=CO_OWNER)
    other_unit = dict(line, unit_id=2)
    document = build({"ledger_lines": [line, late_payment, co_owner, other_unit]})
    assert [row["date"] for row in document["ledger_lines"]] == ["2024-03-01", "2026-01-10"]
    assert document["ledger_lines"][0]["debit"] == 500.0


def test_family_member_sees_household_lines_within_own_period_only():
    grants = [access.Grant(1, "family", FAMILY, ALI, date(2024, 1, 1), date(2024, 12, 31))]
    household = access.unit_access(grants, TODAY)
    rows = {
        "payments": [
            {"unit_id": 1, "partner_id": ALI, "date": date(2024, 5, 1), "amount": 100.0},
            {"unit_id": 1, "partner_id": ALI, "date": date(2025, 5, 1), "amount": 200.0},
        ]
    }
    document = personal_data.assemble({"id": FAMILY}, rows, household, [], TODAY)
    assert [row["amount"] for row in document["payments"]] == [100.0]


def test_readings_are_those_the_person_entered():
    rows = {
        "meter_readings": [
            {"reader_id": ALI_USER, "meter": "W-1", "value": 104.5, "date": date(2026, 11, 2)},
            {"reader_id": OTHER_USER, "meter": "W-1", "value": 99.0},
        ]
    }
    readings = build(rows)["meter_readings"]
    assert [row["value"] for row in readings] == [104.5]
    assert readings[0]["date"] == "2026-11-02"


def test_own_rows_of_each_section_by_their_owner_key():
    rows = {
        "persons_declarations": [
            {"declared_by_id": ALI, "persons": 3},
            {"declared_by_id": CO_OWNER, "persons": 4},
        ],
        "privacy_consents": [
            {"partner_id": ALI, "purpose": "cameras"},
            {"partner_id": CO_OWNER, "purpose": "marketing"},
        ],
        "change_requests": [
            {"partner_id": ALI, "kind": "contact", "details": {"phone": "+90 555"}},
            {"partner_id": CO_OWNER, "kind": "persons"},
        ],
    }
    document = build(rows)
    assert [row["persons"] for row in document["persons_declarations"]] == [3]
    assert [row["purpose"] for row in document["privacy_consents"]] == ["cameras"]
    assert document["change_requests"][0]["details"] == {"phone": "+90 555"}
    assert len(document["change_requests"]) == 1


def test_dumps_is_utf8_json():
    data = personal_data.dumps(build({}))
    assert json.loads(data.decode("utf-8"))["person"]["name"] == "Ali Yılmaz"
    assert "Yılmaz".encode() in data
