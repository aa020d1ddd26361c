import { registry } from "@web/core/registry";

// A Site Administrator creates a Turkish site with its bank account from the New Site
// wizard: the country first, then the name and the IBAN, checking the summary.
registry.category("web_tour.tours").add("site_new_site_tour", {
    url: "/odoo/action-site_residents.action_site_company",
    steps: () => [
        {
            content: "Open the configuration menu",
            trigger: ".o_main_navbar [data-menu-xmlid='site_residents.menu_site_config']",
            run: "click",
        },
        {
            content: "Start the New Site wizard",
            trigger: ".dropdown-item[data-menu-xmlid='site_residents.menu_site_new_site']",
            run: "click",
        },
        {
            content: "The wizard asks the country first, guessing none: the rest waits for it",
            trigger: ".modal:not(:has(.o_field_widget[name=name])) .o_field_widget[name=country_id] input",
        },
        {
            content: "Type the country",
            trigger: ".modal .o_field_widget[name=country_id] input",
            run: "edit Türk",
        },
        {
            content: "Pick Türkiye",
            trigger: ".o-autocomplete--dropdown-item a:contains('Türkiye')",
            run: "click",
        },
        {
            content: "Name the site",
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit Tur Sitesi",
        },
        {
            content: "Enter the site's IBAN",
            trigger: ".modal .o_field_widget[name=bank_acc_number] input",
            run: "edit TR330006100519786457841326",
        },
        {
            content: "Enter the bank's name",
            trigger: ".modal .o_field_widget[name=bank_name] input",
            run: "edit Ziraat Bankası",
        },
        {
            content: "The summary names the currency",
            trigger: ".modal .o_field_widget[name=summary]:contains('TRY')",
        },
        {
            content: "The summary names the chart",
            trigger: ".modal .o_field_widget[name=summary]:contains('Türkiye')",
        },
        {
            content: "The summary names the bank account",
            trigger: ".modal .o_field_widget[name=summary]:contains('TR330006100519786457841326')",
        },
        {
            content: "Create the site",
            trigger: ".modal-footer button[name=action_create]",
            run: "click",
        },
        {
            content: "The new site's form opens",
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name=name] input:value('Tur Sitesi')",
        },
        {
            content: "Open its bank accounts",
            trigger: ".o_notebook a[name=bank_accounts]",
            run: "click",
        },
        {
            content: "The IBAN is the site's account",
            trigger: ".o_field_widget[name=bank_ids] td:contains('TR33 0006 1005 1978 6457 8413 26')",
        },
    ],
});
