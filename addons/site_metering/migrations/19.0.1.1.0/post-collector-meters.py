"""A collector now uploads only the meters assigned to it (or on a gateway of its sites):
assign each meter to the collector that uploaded its latest remote reading or read error,
where that collector still serves the meter's site, so that uploads go on as before."""


def migrate(cr, version):
    cr.execute(
        """
        WITH uploads AS (
            SELECT meter_id, collector_id, date AS moment
              FROM site_meter_remote_error WHERE collector_id IS NOT NULL
             UNION ALL
            SELECT meter_id, collector_id, remote_timestamp
              FROM site_meter_reading WHERE collector_id IS NOT NULL
        ), latest AS (
            SELECT DISTINCT ON (meter_id) meter_id, collector_id
              FROM uploads
             ORDER BY meter_id, moment DESC NULLS LAST
        )
        UPDATE site_meter m
           SET collector_id = latest.collector_id
          FROM latest
         WHERE m.id = latest.meter_id
           AND m.collector_id IS NULL
           AND EXISTS (
                SELECT 1 FROM res_company_site_meter_collector_rel rel
                 WHERE rel.site_meter_collector_id = latest.collector_id
                   AND rel.res_company_id = m.company_id
           )
        """
    )
