import zlib

from odoo import api, models
from odoo.exceptions import UserError


class SiteLock(models.AbstractModel):
    """Transaction-scoped PostgreSQL advisory locks, named instead of numbered.

    A lock is a name (a model's ``_name`` or another dotted name) and a record id; the
    name is hashed into the lock's first key, so that no two features share a number.
    Advisory locks hold between any two connections, also on rows another transaction
    has not committed yet, and end with the transaction.
    """

    _name = "site.lock"
    _description = "Site Advisory Locks"

    @api.model
    def _namespace(self, name):
        return zlib.crc32(name.encode()) & 0x7FFFFFFF

    @api.model
    def _try(self, name, key, message=None):
        """Take the lock (``name``, ``key``) if it is free: True if taken, False if
        another transaction holds it; with ``message``, that case raises it instead."""
        self.env.cr.execute(
            "SELECT pg_try_advisory_xact_lock(%s, %s)", [self._namespace(name), key]
        )
        taken = self.env.cr.fetchone()[0]
        if not taken and message:
            raise UserError(message)
        return taken

    @api.model
    def _wait(self, name, key):
        """Take the lock (``name``, ``key``), waiting for the transaction that holds it."""
        self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [self._namespace(name), key])
