from odoo import models


class AccountJournal(models.Model):
    _inherit = "account.journal"

    def _statement_line_import_speeddict(self):
        """Also find payers by their sanitized account number.

        Odoo stores IBANs as typed or grouped by four ("TR32 0010 ..."), while the
        import compares the file's account number once sanitized ("TR320010..."):
        without this the payer of a transfer is never found from the IBAN.
        """
        speeddict = super()._statement_line_import_speeddict()
        banks = self.env["res.partner.bank"].search_read(
            [("company_id", "in", (False, self.company_id.id))],
            ["sanitized_acc_number", "partner_id"],
        )
        for bank in banks:
            speeddict["account_number"].setdefault(
                bank["sanitized_acc_number"],
                {"partner_id": bank["partner_id"][0], "partner_bank_id": bank["id"]},
            )
        return speeddict
