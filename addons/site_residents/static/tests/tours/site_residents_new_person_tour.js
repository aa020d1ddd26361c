import { registry } from "@web/core/registry";

// A Site Manager records a new resident in Sites › People › Contacts, saves them and
// finds them in the list.
registry.category("web_tour.tours").add("site_residents_new_person_tour", {
    url: "/odoo/action-site_residents.action_site_partner",
    steps: () => [
        {
            content: "Create a person",
            trigger: ".o_control_panel .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Their name",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Tur Yeni Komşu",
        },
        {
            content: "Their e-mail",
            trigger: ".o_form_view .o_field_widget[name=email] input",
            run: "edit tur.komsu@example.com",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "Back to the contacts",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "The new person is in the list",
            trigger: ".o_kanban_record:contains('Tur Yeni Komşu')",
        },
    ],
});
