def migrate(cr, version):
    """Notices made before tokens were given at creation get theirs now: printing one
    (a read-only request) must not have to write it."""
    cr.execute(
        "UPDATE site_charge_notice SET access_token = gen_random_uuid()::text "
        "WHERE access_token IS NULL"
    )
