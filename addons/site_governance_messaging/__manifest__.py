{
    "name": "Site Governance with Messaging",
    "summary": "Assembly notices sent by e-mail and letter through the sites' messaging, "
    "with the message kept on each owner's notice",
    "version": "19.0.1.0.0",
    "category": "Services/Site Management",
    "author": "Site Suite contributors",
    "license": "LGPL-3",
    "depends": ["site_governance", "site_messaging"],
    "data": ["views/site_assembly_views.xml"],
    "auto_install": True,
    "installable": True,
}
