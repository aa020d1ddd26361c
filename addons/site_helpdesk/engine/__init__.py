"""Plain-Python rules of the sites' helpdesk (no Odoo imports)."""
