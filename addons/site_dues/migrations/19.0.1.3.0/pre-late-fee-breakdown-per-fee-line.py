def migrate(cr, version):
    """The late fees' breakdown was a row per overdue charge; it is a row per fee line now,
    with {debt line id: fee} in debt_amounts, its site, unit and partner those of the fee
    line. The rows are gathered per fee line before the ORM updates the table."""
    cr.execute(
        """
        CREATE TEMP TABLE site_late_fee_line_per_debt AS SELECT * FROM site_late_fee_line;
        DELETE FROM site_late_fee_line;
        ALTER TABLE site_late_fee_line
            DROP COLUMN debt_line_id, DROP COLUMN company_id, DROP COLUMN unit_id,
            DROP COLUMN partner_id, DROP COLUMN create_uid, DROP COLUMN write_uid,
            DROP COLUMN create_date, DROP COLUMN write_date,
            ADD COLUMN debt_amounts jsonb;
        INSERT INTO site_late_fee_line (run_id, fee_line_id, amount, debt_amounts)
        SELECT run_id, fee_line_id, SUM(amount), jsonb_object_agg(debt_line_id::text, amount)
          FROM site_late_fee_line_per_debt
         WHERE fee_line_id IS NOT NULL
         GROUP BY run_id, fee_line_id;
        DROP TABLE site_late_fee_line_per_debt;
        """
    )
