{
    "name": "Site Messaging with the Residents' Portal",
    "summary": "Payment links without login in the sites' messages, and messages when an "
    "announcement is published",
    "version": "19.0.1.0.0",
    "category": "Services/Site Management",
    "author": "Site Suite contributors",
    "license": "LGPL-3",
    "depends": ["site_messaging", "site_portal"],
    "data": [
        "data/queue_job_data.xml",
        "views/res_company_views.xml",
    ],
    "demo": ["demo/site_messaging_portal_demo.xml"],
    "auto_install": True,
    "installable": True,
}
