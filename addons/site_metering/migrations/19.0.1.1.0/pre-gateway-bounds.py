"""Gateways get bounded timeouts, retries and M-Bus baud rates: bring the rows inside the
bounds first, so that the new constraints can be added."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE site_meter_gateway
           SET timeout = LEAST(GREATEST(COALESCE(timeout, 1.0), 0.05), 10),
               retries = LEAST(GREATEST(COALESCE(retries, 3), 1), 5),
               baudrate = CASE WHEN baudrate IN (300, 600, 1200, 2400, 4800, 9600, 19200, 38400)
                               THEN baudrate ELSE 2400 END
        """
    )
