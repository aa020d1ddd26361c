from odoo.tools import SQL

RELATIONS = ("site_accrual_run_reversal_rel", "site_late_fee_run_reversal_rel")


def migrate(cr, version):
    """The runs' reversals are computed from their entries' reversals now (the posting
    mixin): the tables that stored them, and their registry rows, go."""
    cr.execute("DELETE FROM ir_model_relation WHERE name IN %s", [RELATIONS])
    for table in RELATIONS:
        cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(table)))
