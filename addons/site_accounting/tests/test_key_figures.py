from datetime import date

from odoo.tests import tagged

from odoo.addons.site_residents.tests.common import site_user

from .common import JANUARY, MonthCase


@tagged("post_install", "-at_install")
class TestKeyFigures(MonthCase):
    """Sites side by side: the month of the Turkish site A and site B's January dues, read
    by a board member of A and by one of both sites."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.charge_january(cls.site_b, cls.unit_b, (800,))
        cls.board_ab = site_user(
            cls.env, "books_board_ab", "site_residents.group_site_board", cls.site, cls.site_b
        )

    def figures(self, user, month):
        rows = self.as_user(user)["site.key.figure"].search([("date", "=", month)])
        return {(row.company_id, row.figure): (row.amount, row.to_date) for row in rows}

    def test_sites_side_by_side(self):
        self.run_month()
        cash = sum(self.ledger([("account_id.account_type", "=", "asset_cash")]).mapped("balance"))
        receivable = sum(
            self.ledger([("account_id.account_type", "=", "asset_receivable")]).mapped("balance")
        )
        both = self.figures(self.board_ab, JANUARY)
        self.assertEqual({site.id for site, _figure in both}, {self.site.id, self.site_b.id})
        self.assertAlmostEqual(both[self.site, "cash"][1], cash)
        self.assertAlmostEqual(both[self.site, "receivable"][1], receivable)
        # Dues charged (3000) less the garden expense paid from the cash box (300).
        self.assertAlmostEqual(both[self.site, "income"][1], 3000.0)
        self.assertAlmostEqual(both[self.site, "expense"][1], 300.0)
        self.assertAlmostEqual(both[self.site, "result"][1], 2700.0)
        self.assertAlmostEqual(both[self.site_b, "receivable"][1], 800.0)
        self.assertAlmostEqual(both[self.site_b, "result"][1], 800.0)
        # A month without movements keeps the balances; its movement is nil.
        february = self.figures(self.board_ab, date(2026, 2, 1))
        self.assertEqual(february[self.site, "cash"], (0.0, cash))
        self.assertEqual(february[self.site_b, "income"], (0.0, 800.0))
        # The pivot's measures: each figure in its own column, the sites as rows.
        columns = self.as_user(self.board_ab)["site.key.figure"]._read_group(
            [("date", "=", JANUARY)], ["company_id"], ["cash:sum", "income:sum", "result:sum"]
        )
        by_site = {site: figures for site, *figures in columns}
        self.assertAlmostEqual(by_site[self.site][0], cash)
        self.assertEqual(by_site[self.site][1:], [3000.0, 2700.0])
        self.assertEqual(by_site[self.site_b][1:], [800.0, 800.0])
        # A board member of site A sees site A's figures only.
        own = self.figures(self.board_a, JANUARY)
        self.assertEqual({site.id for site, _figure in own}, {self.site.id})
        self.assertEqual(own[self.site, "result"], both[self.site, "result"])
