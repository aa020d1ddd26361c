{
    "name": "Site Residents' Portal",
    "summary": "Residents' portal: units, balances, statements, notices, meter readings, "
    "consumption and online payment for residential sites",
    "version": "19.0.1.0.0",
    "category": "Services/Site Management",
    "author": "Site Suite contributors",
    "license": "LGPL-3",
    "depends": [
        "site_dues",
        "site_metering",
        "portal",
        "payment",
        "payment_demo",
        "account_payment",
    ],
    "external_dependencies": {"python": ["qrcode"]},
    "data": [
        "views/site_portal_templates.xml",
        "views/site_portal_home.xml",
        "views/site_portal_pay_templates.xml",
        "views/payment_transaction_views.xml",
        "report/site_portal_reports.xml",
    ],
    "demo": [
        "demo/site_portal_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": ["site_portal/static/src/scss/site_portal.scss"],
        "web.assets_tests": ["site_portal/static/tests/tours/*.js"],
    },
    "installable": True,
}
