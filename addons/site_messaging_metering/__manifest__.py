{
    "name": "Site Messaging with Metering",
    "summary": "Expense notices after a cost allocation, the reading window opening and "
    "bulk messages to the people whose meter readings are missing",
    "version": "19.0.1.0.0",
    "category": "Services/Site Management",
    "author": "Site Suite contributors",
    "license": "LGPL-3",
    "depends": ["site_messaging", "site_metering"],
    "data": [
        "data/queue_job_data.xml",
        "views/res_company_views.xml",
        "wizards/site_message_wizard_views.xml",
    ],
    "demo": ["demo/site_messaging_metering_demo.xml"],
    "auto_install": True,
    "installable": True,
}
