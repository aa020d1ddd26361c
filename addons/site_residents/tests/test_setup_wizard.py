from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSetupWizard(TransactionCase):
    def test_new_site_gets_its_own_books(self):
        wizard = self.env["site.setup.wizard"].create(
            {"name": "Papatya Sitesi", "country_id": self.env.ref("base.tr").id}
        )
        self.assertEqual(wizard.currency_id, self.env.ref("base.TRY"))
        self.assertEqual((wizard.payer_running, wizard.payer_investment), ("tenant", "owner"))
        action = wizard.action_create()
        site = self.env["res.company"].browse(action["res_id"])
        self.assertTrue(site.is_site)
        self.assertEqual(site.chart_template, "tr")
        self.assertIn(site, self.env.user.company_ids)
        receivable = self.env["account.account"].search(
            [("company_ids", "in", site.id), ("account_type", "=", "asset_receivable")]
        )
        self.assertTrue(receivable, "the Turkish chart brings its receivable accounts")

    def test_owner_pays_all_in_poland(self):
        wizard = self.env["site.setup.wizard"].create(
            {
                "name": "Wspólnota Testowa",
                "country_id": self.env.ref("base.pl").id,
                "load_chart": False,
            }
        )
        self.assertEqual(wizard.payer_running, "owner")
        site = self.env["res.company"].browse(wizard.action_create()["res_id"])
        self.assertEqual(site.currency_id, self.env.ref("base.PLN"))
        self.assertFalse(site.chart_template)
