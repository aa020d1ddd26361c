from odoo import fields, models


class AccountStatementImportSheetMapping(models.Model):
    _inherit = "account.statement.import.sheet.mapping"

    # Turkish and Polish banks still export their CSV files in these Windows code pages.
    file_encoding = fields.Selection(
        selection_add=[
            ("windows-1254", "Turkish (Windows-1254)"),
            ("windows-1250", "Central European (Windows-1250)"),
        ],
        ondelete={"windows-1254": "set default", "windows-1250": "set default"},
    )
