{
    "name": "Site Legal Metering",
    "summary": "The water meter and its readings at a shut-off and at the reopening",
    "version": "19.0.1.0.0",
    "category": "Services/Site Management",
    "author": "Site Suite contributors",
    "license": "LGPL-3",
    "depends": ["site_legal", "site_metering"],
    "data": ["views/site_legal_shutoff_views.xml"],
    "demo": ["demo/site_legal_metering_demo.xml"],
    "auto_install": True,
    "installable": True,
}
