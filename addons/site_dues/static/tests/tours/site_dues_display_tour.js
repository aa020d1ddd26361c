import { registry } from "@web/core/registry";

// A Turkish manager reads a charge notice's month as "Mart 2026" in the list and the
// form, and picks another month from the months of the picker.
registry.category("web_tour.tours").add("site_dues_display_month_tour", {
    steps: () => [
        {
            content: "The list shows the month and its year",
            trigger: ".o_data_row td[name=period]:contains(/^Mart \\d\\d\\d\\d$/)",
            run: "click",
        },
        {
            content: "The form shows the month and its year",
            trigger: ".o_form_view .o_field_widget[name=period] button:contains(/^Mart \\d\\d\\d\\d$/)",
            run: "click",
        },
        {
            content: "The picker offers months: pick April",
            trigger: ".o_datetime_picker .o_date_item_cell:contains(Nis)",
            run: "click",
        },
        {
            content: "April reads as a month",
            trigger: ".o_form_view .o_field_widget[name=period] button:contains(/^Nisan \\d\\d\\d\\d$/)",
        },
        {
            content: "Leave the notice as it was",
            trigger: ".o_form_button_cancel",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=period] button:contains(/^Mart \\d\\d\\d\\d$/)",
        },
    ],
});

// Headings are upper-cased the Turkish way: "Gecikme Tazminatı" → "GECİKME TAZMİNATI".
registry.category("web_tour.tours").add("site_dues_display_heading_tour", {
    steps: () => [
        {
            content: "The late-fee heading keeps the dotted capital İ",
            trigger: ".o_horizontal_separator:contains(GECİKME TAZMİNATI)",
        },
    ],
});
