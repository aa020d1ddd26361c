{
    "name": "Site Helpdesk Messaging",
    "summary": "Residents hear of their tickets' status changes by the site's SMS or e-mail",
    "version": "19.0.1.0.0",
    "category": "Services/Site Management",
    "author": "Site Suite contributors",
    "license": "LGPL-3",
    "depends": ["site_helpdesk", "site_messaging"],
    "data": ["views/res_company_views.xml"],
    "demo": ["demo/site_helpdesk_messaging_demo.xml"],
    "auto_install": True,
    "installable": True,
}
