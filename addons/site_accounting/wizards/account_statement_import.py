from odoo import models


class AccountStatementImport(models.TransientModel):
    _inherit = "account.statement.import"

    def _import_file(self):
        """Match the imported transactions to units and book those matched.

        The units are found as for transactions entered by hand (site_dues' payment
        reference rule), then by the paying partner; the rest wait in the
        "To Match" queue.
        """
        result = super()._import_file()
        lines = self.env["account.bank.statement"].browse(result["statement_ids"]).line_ids
        sites = lines.filtered(lambda line: line.company_id.is_site)
        if sites:
            matched = sites._site_match_reference() | sites._site_match_partner()
            booked = matched._site_reconcile()
            waiting = len(sites) - len(booked)
            result["notifications"].append(
                self.env._(
                    "%(booked)s of %(total)s transactions matched to a unit and booked; "
                    "%(waiting)s wait in the queue of transactions to match.",
                    booked=len(booked),
                    total=len(sites),
                    waiting=waiting,
                )
            )
        return result
