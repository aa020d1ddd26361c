from . import models
from . import report
from . import wizards


def post_init_hook(env):
    """Existing sites get their legal journal, accounts and 'Legal Costs' charge type."""
    env["res.company"].search([("is_site", "=", True)])._site_legal_setup()
