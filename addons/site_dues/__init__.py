from . import models
from . import report
from . import wizards


def post_init_hook(env):
    """Existing sites get their charges journal and default charge types."""
    env["res.company"].search([("is_site", "=", True)])._site_dues_setup()
