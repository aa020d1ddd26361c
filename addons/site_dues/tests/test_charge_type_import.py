from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestChargeTypeImport(TransactionCase):
    """An imported file names a charge type by its code or its name in any language, and
    gets the one of the site it is imported into."""

    def test_charge_types_match_by_code_or_name_within_the_site(self):
        self.env["res.lang"]._activate_lang("tr_TR")
        site, other_site = self.env["res.company"].create(
            [{"name": "Kod Sitesi", "is_site": True}, {"name": "Öteki Site", "is_site": True}]
        )
        (site | other_site)._site_dues_setup()
        dues, other_dues = (site | other_site).site_charge_type_ids.filtered(
            lambda t: t.code == "DUES"
        )
        for charge_type in dues | other_dues:
            charge_type.update_field_translations("name", {"tr_TR": "Aidat"})
        manager = new_test_user(
            self.env,
            "charge_type_importer",
            groups="site_residents.group_site_manager",
            company_id=site.id,
            company_ids=[site.id, other_site.id],
            lang="tr_TR",
        )
        charge_types = self.env(
            user=manager,
            context={"lang": "tr_TR", "allowed_company_ids": [site.id], "import_file": True},
        )["site.charge.type"]
        for value in ("DUES", "Dues", "Aidat"):
            with self.subTest(value=value):
                found = charge_types.name_search(value, operator="=")
                self.assertEqual([charge_type_id for charge_type_id, _name in found], dues.ids)
