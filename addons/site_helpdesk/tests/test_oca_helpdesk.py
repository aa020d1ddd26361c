"""OCA's own tests of the helpdesk, run again once site_helpdesk is installed.

Their tests run when their addon is installed, before this one: here they run after
every addon is loaded, with the suite's record rules, routes and ticket fields in place
(their post-install portal tests already do; ``--test-tags /helpdesk_mgmt`` runs them).
"""

from odoo.tests import tagged

from odoo.addons.helpdesk_mgmt.tests import (
    test_helpdesk_category_hierarchy,
    test_helpdesk_fetchmail,
    test_helpdesk_ticket,
    test_helpdesk_ticket_team,
    test_res_partner,
)
from odoo.addons.helpdesk_mgmt_rating.tests import test_helpdesk_mgmt_rating
from odoo.addons.helpdesk_mgmt_rating.tests import test_helpdesk_portal as rating_portal
from odoo.addons.helpdesk_mgmt_sla.tests import test_helpdesk_mgmt_sla
from odoo.addons.helpdesk_type.tests import test_helpdesk_type


def rerun(oca_class):
    """``oca_class`` run after every addon is loaded: the tests it defines itself, as
    Odoo runs them for its own addon (not those it inherits)."""
    tests = {name: member for name, member in vars(oca_class).items() if name.startswith("test")}
    name = "TestOca" + oca_class.__name__.removeprefix("Test")
    return tagged("post_install", "-at_install")(
        type(name, (oca_class,), {**tests, "__module__": __name__})
    )


TestOcaHelpdeskTicket = rerun(test_helpdesk_ticket.TestHelpdeskTicket)
TestOcaHelpdeskTicketTeam = rerun(test_helpdesk_ticket_team.TestHelpdeskTicketTeam)
TestOcaHelpdeskFetchmail = rerun(test_helpdesk_fetchmail.TestHelpdeskFetchmail)
TestOcaPartner = rerun(test_res_partner.TestPartner)
TestOcaHelpdeskCategoryHierarchy = rerun(
    test_helpdesk_category_hierarchy.TestHelpdeskCategoryHierarchy
)
TestOcaHelpdeskMgmtSla = rerun(test_helpdesk_mgmt_sla.TestHelpdeskMgmtSla)
TestOcaHelpdeskType = rerun(test_helpdesk_type.TestHelpdeskType)
TestOcaHelpdeskMgmtRating = rerun(test_helpdesk_mgmt_rating.TestHelpdeskMgmtRating)
TestOcaHelpdeskPortalBase = rerun(rating_portal.TestHelpdeskPortalBase)
