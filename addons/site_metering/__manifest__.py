{
    "name": "Site Metering",
    "summary": "Meters, readings and their checks, heat, water and gas cost allocation, "
    "tariffs and expense notices for residential sites",
    "version": "19.0.1.0.0",
    "category": "Services/Site Management",
    "author": "Site Suite contributors",
    "license": "LGPL-3",
    "depends": ["site_residents", "site_dues"],
    "external_dependencies": {"python": ["xlsxwriter", "openpyxl"]},
    "data": [
        "security/ir.model.access.csv",
        "security/site_metering_rules.xml",
        "data/site_metering_data.xml",
        "views/site_metering_menus.xml",
        "views/site_meter_model_views.xml",
        "views/site_meter_views.xml",
        "views/site_meter_reading_views.xml",
        "views/res_company_views.xml",
        "wizards/site_meter_replace_wizard_views.xml",
        "wizards/site_reading_reject_wizard_views.xml",
    ],
    "demo": [
        "demo/site_metering_demo.xml",
    ],
    "installable": True,
}
