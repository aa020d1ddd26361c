import { registry } from "@web/core/registry";

// A manager opens the units, a unit's card, its people today and its history,
// then starts the sale wizard: what a person does first in the app.
registry.category("web_tour.tours").add("site_residents_unit_tour", {
    url: "/odoo/action-site_residents.action_site_unit",
    steps: () => [
        {
            content: "Units are grouped by building",
            trigger: ".o_kanban_group .o_column_title:contains('Tour Block')",
        },
        {
            content: "Open the unit",
            trigger: ".o_kanban_record:contains('T-1')",
            run: "click",
        },
        {
            content: "Today's owner is shown",
            trigger: ".o_notebook .o_field_widget[name=current_relation_ids] td:contains('Tour Owner')",
        },
        {
            content: "Open the history",
            trigger: ".o_notebook a[name=history]",
            run: "click",
        },
        {
            content: "The past tenant is in the history",
            trigger: ".o_field_widget[name=relation_ids] td:contains('Tour Former Tenant')",
        },
        {
            content: "Start a sale",
            trigger: "button[name=action_change_people]",
            run: "click",
        },
        {
            content: "The wizard lists the owner who would leave",
            trigger: ".modal .o_field_widget[name=current_relation_ids] td:contains('Tour Owner')",
        },
        {
            content: "Cancel",
            trigger: ".modal .modal-footer button:contains('Cancel')",
            run: "click",
        },
        {
            trigger: ".o_form_view:not(:has(.modal))",
        },
    ],
});
