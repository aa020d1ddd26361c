def migrate(cr, version):
    """Late-fee runs have the posting mixin's due date now: the runs posted before it get
    the due date of the fees they posted (the site's due days may have changed since)."""
    cr.execute(
        """
        UPDATE site_late_fee_run run
           SET due_date = fees.due_date
          FROM (SELECT rel.site_late_fee_run_id AS run_id, MIN(line.date_maturity) AS due_date
                  FROM account_move_site_late_fee_run_rel rel
                  JOIN account_move_line line ON line.move_id = rel.account_move_id
                 WHERE line.site_unit_id IS NOT NULL
                 GROUP BY rel.site_late_fee_run_id) fees
         WHERE fees.run_id = run.id AND run.due_date IS NULL
        """
    )
