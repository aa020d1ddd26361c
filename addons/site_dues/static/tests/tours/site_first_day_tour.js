import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");
const EXAMPLES = "/site_residents/static/examples";

// Every step waits up to a minute: the server imports, posts and loads charts slowly on
// a busy machine.
function patient(steps) {
    return steps.map((step) => ({ timeout: 60000, ...step }));
}

function openMenu(section, item, title) {
    return [
        {
            content: `Open the ${title} menu`,
            trigger: `.o_main_navbar [data-menu-xmlid='${section}']`,
            run: "click",
        },
        {
            content: `Open ${title}`,
            trigger: `.dropdown-item[data-menu-xmlid='${item}']`,
            run: "click",
        },
        {
            content: `${title} are shown`,
            trigger: `.o_breadcrumb .active:contains('${title}')`,
        },
    ];
}

// Odoo's import screen with one of the README's example files, as a user loads it.
function importExample(fileName, count) {
    return [
        {
            content: "Open the actions menu",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Import records",
            trigger: ".o_import_menu",
            run: "click",
        },
        {
            content: `Load the README's ${fileName}`,
            trigger: ".o_control_panel .o_file_input_trigger",
            async run() {
                const response = await fetch(`${EXAMPLES}/${fileName}`);
                if (!response.ok) {
                    throw new Error(`${fileName} is not served (${response.status})`);
                }
                const file = new File([await response.blob()], fileName, { type: "text/csv" });
                const input = document.querySelector(".o_control_panel .o_input_file");
                const files = new DataTransfer();
                files.items.add(file);
                input.files = files.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: `${fileName} is read, every column matched to a field`,
            trigger: `body:not(:has(.o_blockUI)):has(.o_import_data_sidepanel:contains('${fileName.replace(".csv", "")}')) .o_import_data_content:has(tbody tr):not(:has(tbody .text-warning))`,
        },
        {
            content: "Test the import",
            trigger: ".o_control_panel button.btn-primary:contains('Test')",
            run: "click",
        },
        {
            content: "The test finds nothing wrong",
            trigger: "body:not(:has(.o_blockUI)) .o_import_data_content .alert-info",
        },
        {
            content: "Import",
            trigger: ".o_control_panel button.btn-primary:contains('Import')",
            run: "click",
        },
        {
            content: `${count} records are imported`,
            trigger: `.o_notification:has(.bg-success):contains('${count} records successfully imported')`,
        },
        {
            content: "The imported records are shown",
            trigger: ".o_breadcrumb .active:contains('Imported records')",
        },
    ];
}

// The New Site wizard as site_residents' onboarding tour fills it in: a Turkish site with
// its bank account.
tours.add("site_first_day_new_site_tour", {
    url: "/odoo/action-site_residents.action_site_company",
    steps: () => patient(tours.get("site_new_site_tour").steps()),
});

// A Site Administrator selects the site just created in the company switcher and imports
// the README's example buildings, units, people and their units' owners, tenants and
// residents into it (README, "Setting up a site" §2 and §3).
tours.add("site_first_day_import_tour", {
    steps: () =>
        patient([
            {
                content: "Open the company switcher",
                trigger: ".o_switch_company_menu button",
                run: "click",
            },
            {
                content: "Work in the new site only",
                trigger: ".o_switch_company_menu_dropdown .o_switch_company_item:contains('Tur Sitesi') .log_into",
                run: "click",
                expectUnloadPage: true,
            },
            {
                content: "The new site is the current one",
                trigger: ".o_switch_company_menu .oe_topbar_name:contains('Tur Sitesi')",
            },
            ...openMenu(
                "site_residents.menu_site_properties",
                "site_residents.menu_site_buildings",
                "Buildings"
            ),
            ...importExample("buildings.csv", 2),
            ...openMenu(
                "site_residents.menu_site_properties",
                "site_residents.menu_site_units",
                "Units"
            ),
            ...importExample("units.csv", 6),
            ...openMenu(
                "site_residents.menu_site_people",
                "site_residents.menu_site_contacts",
                "Contacts"
            ),
            ...importExample("people.csv", 7),
            ...openMenu(
                "site_residents.menu_site_people",
                "site_residents.menu_site_relations",
                "Owners, Tenants and Residents"
            ),
            ...importExample("owners_tenants_residents.csv", 9),
        ]),
});

// A Site Manager charges December 2026 on the Turkish demo site and opens the charge
// notice of unit A-3 for that month.
tours.add("site_first_day_charge_tour", {
    steps: () =>
        patient([
            {
                content: "Open the Dues menu",
                trigger: ".o_main_navbar [data-menu-xmlid='site_dues.menu_site_dues']",
                run: "click",
            },
            {
                content: "Charge a month",
                trigger: ".dropdown-item[data-menu-xmlid='site_dues.menu_site_accrual_wizard']",
                run: "click",
            },
            {
                content: "The wizard charges the current site",
                trigger: ".modal .o_field_widget[name=company_id] input:value('Yeşilvadi Sitesi')",
            },
            {
                content: "Pick the month",
                trigger: ".modal .o_field_widget[name=period] .o_input",
                run: "click",
            },
            {
                content: "Type December 2026",
                trigger: ".modal .o_field_widget[name=period] input",
                run: "edit 12/01/2026 && press Enter",
            },
            {
                content: "The month reads as month and year",
                trigger: ".modal .o_field_widget[name=period] .o_input:contains('December 2026')",
            },
            {
                content: "The month's plans are proposed",
                trigger: ".modal .o_field_widget[name=plan_ids] .o_tag:contains('Aidat 2026')",
            },
            {
                content: "Charge",
                trigger: ".modal-footer button[name=action_accrue]",
                run: "click",
            },
            {
                content: "The month's runs are posted",
                trigger: "body:not(:has(.modal)) .o_list_view .o_data_row:contains('Aidat 2026'):contains('December 2026')",
            },
            ...openMenu(
                "site_dues.menu_site_dues",
                "site_dues.menu_site_charge_notices",
                "Charge Notices"
            ),
            {
                content: "Search the notices of unit A-3",
                trigger: ".o_searchview_input",
                run: "edit A-3",
            },
            {
                content: "By unit",
                trigger: ".o_searchview_autocomplete .o-dropdown-item:contains('Unit')",
                run: "click",
            },
            {
                content: "Open December's notice",
                trigger: ".o_data_row:contains('A-3'):contains('December 2026') td[name=period]",
                run: "click",
            },
            {
                content: "The notice is December's, for A-3",
                trigger: ".o_form_view .o_field_widget[name=name]:contains('A-3 / 2026-12')",
            },
            {
                content: "It charges the month",
                trigger: ".o_form_view .o_field_widget[name=line_ids] .o_data_row:contains('Dues')",
            },
            {
                content: "Open the actions menu",
                trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
                run: "click",
            },
            {
                content: "The notice can be printed",
                trigger: ".o-dropdown--menu .o_menu_item:has(.fa-print):contains('Charge Notice')",
            },
        ]),
});

// A board member with one of their sites selected opens the debtor list.
tours.add("site_first_day_debtors_tour", {
    steps: () =>
        patient([
            {
                content: "Open the Dues menu",
                trigger: ".o_main_navbar [data-menu-xmlid='site_dues.menu_site_dues']",
                run: "click",
            },
            {
                content: "Open Debtors",
                trigger: ".dropdown-item[data-menu-xmlid='site_dues.menu_site_debtors']",
                run: "click",
            },
            {
                content: "The report covers the selected site only",
                trigger: ".modal .o_field_widget[name=company_ids]:has(.o_tag:contains('Słoneczna')):not(:has(.o_tag:contains('Yeşilvadi')))",
            },
            {
                content: "Show the debtors",
                trigger: ".modal-footer button[name=action_preview]",
                run: "click",
            },
            {
                content: "The site's debtors are listed",
                trigger: "body:not(:has(.modal)) .o_list_view .o_data_row:contains('Słoneczna')",
            },
            {
                content: "and no other site's",
                trigger: ".o_list_view:not(:has(.o_data_row:contains('Yeşilvadi')))",
            },
        ]),
});
