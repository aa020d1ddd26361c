from datetime import date, timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.site_residents.tests.common import site_user

from .common import PortalCase


@tagged("post_install", "-at_install")
class TestPortalRequests(PortalCase):
    """Residents ask on the portal; a manager of the unit's site approves (the change is
    applied once, through site_residents' models) or rejects with a reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Relation = cls.env["site.unit.relation"]
        cls.selin = cls.env["res.partner"].create({"name": "Selin", "company_id": cls.site.id})
        cls.selin_relation = Relation.create(
            {
                "unit_id": cls.u1.id,
                "partner_id": cls.selin.id,
                "role": "family",
                "date_from": date(2021, 1, 1),
                "related_partner_id": cls.ali.id,
            }
        )
        cls.user_selin = cls.resident("portal_selin", cls.selin, cls.site)
        cls.ali.write({"phone": "+90 555 111 22 33", "email": "ali@example.com", "city": "Bursa"})
        cls.manager_a = site_user(
            cls.env, "requests_manager_a", "site_residents.group_site_manager", cls.site
        )
        cls.manager_b = site_user(
            cls.env, "requests_manager_b", "site_residents.group_site_manager", cls.site_b
        )
        cls.first_of_month = cls.today.replace(day=1)

    # --- helpers ------------------------------------------------------------------

    def post(self, kind, csrf=True, **data):
        if csrf:
            data["csrf_token"] = self.csrf_token()
        return self.url_open(
            f"/my/site/requests/new/{kind}", data=data, allow_redirects=False, timeout=60
        )

    def submitted(self, response):
        """The request a successful post made (it redirects to the list)."""
        self.assertEqual(response.status_code, 303, response.text[:2000])
        request_id = int(response.headers["Location"].rsplit("submitted=", 1)[1])
        change = self.env["site.change.request"].browse(request_id)
        self.assertEqual(change.state, "submitted")
        return change

    def as_manager(self, change, manager=None):
        manager = manager or self.manager_a
        return change.with_user(manager).with_context(allowed_company_ids=manager.company_ids.ids)

    def requests_of(self, partner):
        return self.env["site.change.request"].search([("partner_id", "=", partner.id)])

    # --- each kind applies exactly its change ---------------------------------------------

    def test_contact_details_applied_on_approval(self):
        self.login(self.user_a)
        change = self.submitted(
            self.post(
                "contact",
                unit_id=str(self.u1.id),
                new_phone="+90 532 000 11 22",
                new_email="ali.new@example.com",
                new_city="İzmir",
                note="New job",
            )
        )
        self.assertEqual(
            (change.kind, change.unit_id, change.partner_id, change.user_id),
            ("contact", self.u1, self.ali, self.user_a),
        )
        # Nothing changes before approval; the site's manager has a to-do.
        self.assertEqual(self.ali.phone, "+90 555 111 22 33")
        self.assertEqual(change.activity_ids.user_id, self.manager_a)
        before = self.ali.read(["street", "zip", "name"])[0]
        self.as_manager(change).action_approve()
        self.assertEqual(change.state, "approved")
        self.assertEqual(change.decided_by_id, self.manager_a)
        self.assertEqual(
            (self.ali.phone, self.ali.email, self.ali.city),
            ("+90 532 000 11 22", "ali.new@example.com", "İzmir"),
        )
        self.assertEqual(self.ali.read(["street", "zip", "name"])[0], before)
        self.assertFalse(change.activity_ids)
        page = self.url_open("/my/site/requests")
        self.assertIn(f'data-request="{change.id}" data-state="approved"', page.text)

    def test_household_member_moves_in(self):
        self.login(self.user_a)
        moves_in = self.today - timedelta(days=2)
        relations_before = self.env["site.unit.relation"].search([("unit_id", "=", self.u1.id)])
        change = self.submitted(
            self.post(
                "member_add",
                unit_id=str(self.u1.id),
                member_name="Zehra Yılmaz",
                member_phone="+90 533 444 55 66",
                member_role="family",
                member_date_from=moves_in.isoformat(),
            )
        )
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Zehra Yılmaz")]))
        self.as_manager(change).action_approve()
        new = self.env["site.unit.relation"].search([("unit_id", "=", self.u1.id)])
        new -= relations_before
        self.assertEqual(new, change.result_relation_id)
        self.assertEqual(
            (new.partner_id.name, new.partner_id.phone, new.role, new.date_from, new.date_to),
            ("Zehra Yılmaz", "+90 533 444 55 66", "family", moves_in, False),
        )
        self.assertEqual(new.related_partner_id, self.ali)
        self.assertEqual(new.partner_id.company_id, self.site)
        self.assertTrue(new.lives_here)

    def test_household_member_leaves(self):
        self.login(self.user_a)
        page = self.url_open("/my/site/requests/new/member_leave")
        self.assertIn(f'value="{self.selin_relation.id}"', page.text)
        last_day = self.today + timedelta(days=10)
        change = self.submitted(
            self.post(
                "member_leave",
                relation_id=str(self.selin_relation.id),
                leave_date=last_day.isoformat(),
            )
        )
        self.assertEqual(change.unit_id, self.u1)
        self.assertFalse(self.selin_relation.date_to)
        self.as_manager(change).action_approve()
        self.assertEqual(self.selin_relation.date_to, last_day)
        self.assertEqual(self.selin_relation.date_from, date(2021, 1, 1))

    def test_number_of_persons(self):
        self.login(self.user_a)
        Persons = self.env["site.unit.persons"]
        before = Persons.search([("unit_id", "=", self.u1.id)])
        change = self.submitted(
            self.post(
                "persons",
                unit_id=str(self.u1.id),
                persons="3",
                persons_date=self.first_of_month.isoformat(),
            )
        )
        self.as_manager(change).action_approve()
        declaration = Persons.search([("unit_id", "=", self.u1.id)]) - before
        self.assertEqual(declaration, change.result_persons_id)
        self.assertEqual(
            (declaration.persons, declaration.date, declaration.declared_by_id),
            (3, self.first_of_month, self.ali),
        )

    def test_applying_twice_is_impossible(self):
        self.login(self.user_a)
        change = self.submitted(
            self.post(
                "persons",
                unit_id=str(self.u1.id),
                persons="2",
                persons_date=self.first_of_month.isoformat(),
            )
        )
        self.as_manager(change).action_approve()
        with self.assertRaisesRegex(UserError, "only a submitted request"):
            self.as_manager(change).action_approve()
        with self.assertRaises(UserError):
            self.as_manager(change).action_reject()
        self.assertEqual(
            self.env["site.unit.persons"].search_count([("unit_id", "=", self.u1.id)]), 1
        )

    # --- rejection ----------------------------------------------------------------------

    def test_rejected_leaves_data_unchanged_and_shows_reason(self):
        self.login(self.user_a)
        change = self.submitted(
            self.post("contact", unit_id=str(self.u1.id), new_email="wrong@example.com")
        )
        with self.assertRaisesRegex(UserError, "Reason for Rejection"):
            self.as_manager(change).action_reject()
        self.assertEqual(change.state, "submitted")
        change.reject_reason = "Please send it from your own e-mail address."
        self.as_manager(change).action_reject()
        self.assertEqual((change.state, change.decided_by_id), ("rejected", self.manager_a))
        self.assertEqual(self.ali.email, "ali@example.com")
        with self.assertRaises(UserError):
            self.as_manager(change).action_approve()
        self.assertEqual(self.ali.email, "ali@example.com")
        page = self.url_open("/my/site/requests")
        self.assertIn(f'data-request="{change.id}" data-state="rejected"', page.text)
        self.assertIn("o_site_request_reason", page.text)
        self.assertIn("Please send it from your own e-mail address.", page.text)

    # --- validation ---------------------------------------------------------------------

    def assert_form_error(self, response, *needles):
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_site_request_error", response.text)
        for needle in needles:
            self.assertIn(needle, response.text)

    def test_invalid_input_is_shown_on_the_form(self):
        self.login(self.user_a)
        unit = str(self.u1.id)
        self.assert_form_error(
            self.post("contact", unit_id=unit, new_email="not-an-address"),
            "New E-mail",
            "not-an-address",  # what was typed stays in the form
        )
        self.assert_form_error(self.post("contact", unit_id=unit, new_phone="call me"), "New Phone")
        self.assert_form_error(self.post("contact", unit_id=unit), "at least one")
        self.assert_form_error(
            self.post("persons", unit_id=unit, persons="99", persons_date=self.today.isoformat()),
            "Persons Living in the Unit",
        )
        self.assert_form_error(
            self.post("persons", unit_id=unit, persons="three", persons_date="2026-01-01"),
            "whole number",
        )
        self.assert_form_error(
            self.post("member_add", unit_id=unit, member_role="family", member_date_from="x"),
            "Moves In On",
        )
        self.assert_form_error(
            self.post(
                "member_add",
                unit_id=unit,
                member_role="family",
                member_date_from=self.today.isoformat(),
            ),
            "Member&#39;s Name",
        )
        self.assert_form_error(
            self.post(
                "member_leave",
                relation_id=str(self.selin_relation.id),
                leave_date="2020-12-31",
            ),
            "Last Day in the Unit",
            "2021-01-01",
        )
        self.assertFalse(self.requests_of(self.ali))

    def test_invalid_change_applies_nothing_and_names_the_field(self):
        """A batch where one change breaks site_residents' rules (Selin would live in the
        unit twice at once): nothing of the batch is applied, and the error names the
        request's field."""
        self.login(self.user_a)
        contact = self.submitted(
            self.post("contact", unit_id=str(self.u1.id), new_phone="+90 532 999 88 77")
        )
        member = self.submitted(
            self.post(
                "member_add",
                unit_id=str(self.u1.id),
                member_name="Selin",
                member_role="resident",
                member_date_from=self.today.isoformat(),
            )
        )
        member.member_partner_id = self.selin  # the staff pick the known contact
        relations = self.env["site.unit.relation"].search_count([])
        batch = self.as_manager(contact | member)
        try:
            batch.action_approve()
        except ValidationError as error:
            message = str(error)
        else:
            self.fail("An overlapping relation was applied.")
        self.assertIn("Moves In On", message)
        self.assertIn("Selin", message)
        self.assertIn("overlap", message)
        self.assertEqual((contact.state, member.state), ("submitted", "submitted"))
        self.assertEqual(self.ali.phone, "+90 555 111 22 33")
        self.assertEqual(self.env["site.unit.relation"].search_count([]), relations)

    def test_persons_declaration_of_the_same_day_is_refused_by_name(self):
        self.env["site.unit.persons"].create(
            {"unit_id": self.u1.id, "date": self.first_of_month, "persons": 4}
        )
        self.login(self.user_a)
        change = self.submitted(
            self.post(
                "persons",
                unit_id=str(self.u1.id),
                persons="2",
                persons_date=self.first_of_month.isoformat(),
            )
        )
        with self.assertRaisesRegex(ValidationError, "Persons Valid From.*already has"):
            self.as_manager(change).action_approve()
        self.assertEqual(change.state, "submitted")

    # --- who may ask for what -------------------------------------------------------------

    def test_another_residents_unit_is_not_found(self):
        self.login(self.user_a)
        for kind in ("contact", "persons"):
            response = self.post(
                kind,
                unit_id=str(self.unit_b.id),
                new_phone="+90 532 000 00 00",
                persons="2",
                persons_date=self.today.isoformat(),
            )
            self.assertEqual(response.status_code, 404, kind)
        # A unit of the same site held by someone else.
        response = self.post("contact", unit_id=str(self.u2.id), new_phone="+90 532 000 00 00")
        self.assertEqual(response.status_code, 404)
        # Another household's member.
        emre_family = self.env["site.unit.relation"].create(
            {
                "unit_id": self.unit_b.id,
                "partner_id": self.env["res.partner"].create({"name": "Ece"}).id,
                "role": "family",
                "date_from": date(2022, 1, 1),
                "related_partner_id": self.emre.id,
            }
        )
        response = self.post(
            "member_leave", relation_id=str(emre_family.id), leave_date=self.today.isoformat()
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.requests_of(self.ali))
        self.assertFalse(emre_family.date_to)

    def test_family_member_asks_for_own_contact_details_only(self):
        self.login(self.user_selin)
        page = self.url_open("/my/site/requests")
        self.assertIn("/my/site/requests/new/contact", page.text)
        self.assertNotIn("/my/site/requests/new/persons", page.text)
        page = self.url_open("/my/site/requests/new/persons")
        self.assertIn("o_site_request_unavailable", page.text)
        self.assertNotIn("o_site_request_form", page.text)
        response = self.post(
            "persons", unit_id=str(self.u1.id), persons="5", persons_date=self.today.isoformat()
        )
        self.assertEqual(response.status_code, 404)
        change = self.submitted(
            self.post("contact", unit_id=str(self.u1.id), new_phone="+90 532 765 43 21")
        )
        self.assertEqual(change.partner_id, self.selin)
        self.as_manager(change).action_approve()
        self.assertEqual(self.selin.phone, "+90 532 765 43 21")
        self.assertEqual(self.ali.phone, "+90 555 111 22 33")

    def test_list_shows_own_requests_only(self):
        self.login(self.user_b)
        emre_change = self.submitted(
            self.post("contact", unit_id=str(self.unit_b.id), new_phone="+90 532 111 00 00")
        )
        self.login(self.user_a)
        own = self.submitted(
            self.post("contact", unit_id=str(self.u1.id), new_phone="+90 532 222 00 00")
        )
        page = self.url_open("/my/site/requests")
        self.assertIn(f'data-request="{own.id}"', page.text)
        self.assertNotIn(f'data-request="{emre_change.id}"', page.text)
        self.assertNotIn("+90 532 111 00 00", page.text)

    def test_home_entry_counter(self):
        self.login(self.user_a)
        page = self.url_open("/my")
        self.assertIn('data-placeholder_count="site_request_count"', page.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["site_request_count"]})
        self.assertEqual(counters, {"site_request_count": 1})

    def test_unknown_kind_is_not_found(self):
        self.login(self.user_a)
        self.assertEqual(self.url_open("/my/site/requests/new/national_id").status_code, 404)
        self.assertEqual(self.post("national_id", unit_id=str(self.u1.id)).status_code, 404)

    def test_post_without_csrf_is_refused(self):
        self.login(self.user_a)
        response = self.post(
            "contact", csrf=False, unit_id=str(self.u1.id), new_phone="+90 532 000 11 22"
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.requests_of(self.ali))

    def test_requires_login(self):
        response = self.url_open("/my/site/requests", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    # --- staff ----------------------------------------------------------------------------

    def test_staff_of_another_site_cannot_see_or_decide(self):
        self.login(self.user_a)
        change = self.submitted(
            self.post("contact", unit_id=str(self.u1.id), new_phone="+90 532 000 11 22")
        )
        Request_b = self.as_manager(self.env["site.change.request"], self.manager_b)
        self.assertFalse(Request_b.search([("id", "=", change.id)]))
        with self.assertRaises(AccessError):
            self.as_manager(change, self.manager_b).read(["new_phone"])
        with self.assertRaises(AccessError):
            self.as_manager(change, self.manager_b).action_approve()
        Request_a = self.as_manager(self.env["site.change.request"])
        self.assertEqual(Request_a.search([("id", "=", change.id)]), change)
        self.assertEqual(self.ali.phone, "+90 555 111 22 33")

    def test_board_member_reads_but_cannot_approve(self):
        self.login(self.user_a)
        change = self.submitted(
            self.post("contact", unit_id=str(self.u1.id), new_phone="+90 532 000 11 22")
        )
        as_board = self.as_manager(change, self.board_a)
        self.assertEqual(as_board.new_phone, "+90 532 000 11 22")
        with self.assertRaises(AccessError):
            as_board.action_approve()
        self.assertEqual(change.state, "submitted")

    def test_staff_typed_request_goes_through_submit(self):
        Request = self.as_manager(self.env["site.change.request"])
        change = Request.create(
            {
                "unit_id": self.u1.id,
                "partner_id": self.ali.id,
                "kind": "persons",
                "persons": 2,
                "persons_date": self.first_of_month,
            }
        )
        self.assertEqual(change.state, "draft")
        with self.assertRaises(UserError):
            change.action_approve()
        change.action_submit()
        change.action_approve()
        self.assertEqual(change.result_persons_id.persons, 2)
        with self.assertRaisesRegex(ValidationError, "Persons Valid From"):
            Request.create({"unit_id": self.u1.id, "partner_id": self.ali.id, "kind": "persons"})
