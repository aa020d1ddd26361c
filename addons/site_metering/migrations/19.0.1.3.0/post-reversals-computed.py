def migrate(cr, version):
    """A cost allocation's reversals are no longer stored: site.posting.mixin computes
    them from the entries' own reversals. The table that held them goes, with the
    record that would have dropped it at uninstall."""
    cr.execute("DROP TABLE IF EXISTS site_cost_allocation_reversal_rel")
    cr.execute("DELETE FROM ir_model_relation WHERE name = 'site_cost_allocation_reversal_rel'")
