import { registry } from "@web/core/registry";

// A Turkish manager reads a building's year without a thousands separator.
registry.category("web_tour.tours").add("site_residents_display_building_tour", {
    steps: () => [
        {
            content: "The year built reads 2015, not 2.015",
            trigger: ".o_field_widget[name=year_built] input:value(/^2015$/)",
        },
    ],
});

// The unit's land share is a fraction, its voting share a percentage, and headings are
// upper-cased the Turkish way (i → İ).
registry.category("web_tour.tours").add("site_residents_display_unit_tour", {
    steps: () => [
        {
            content: "The land share is 61 / 1205, without separators",
            trigger: ".o_field_widget[name=land_share_denominator] input:value(/^1205$/)",
        },
        {
            content: "The voting share is a percentage with four decimals",
            trigger: ".o_field_widget[name=voting_share] input:value(/^5,0622$/)",
        },
        {
            content: "Open the billing tab",
            trigger: ".o_notebook a[name=billing]",
            run: "click",
        },
        {
            content: "The heading keeps the dotted capital İ",
            trigger: ".o_horizontal_separator:contains(BU BAĞIMSIZ BÖLÜM KİRADAYKEN KİM ÖDER)",
        },
    ],
});
