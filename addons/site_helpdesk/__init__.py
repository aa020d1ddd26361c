from . import controllers
from . import models
from . import report


def post_init_hook(env):
    """Existing sites get the charge type of paid services."""
    env["res.company"].search([("is_site", "=", True)])._site_helpdesk_setup()
