import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("site_metering_read_meters", {
    steps: () => [
        {
            content: "The first meter to read is shown with its last value",
            trigger: ".o_read_meter_card .o_read_meter_serial:contains(W-A-1)",
        },
        {
            trigger: ".o_read_meter_previous:contains(110)",
        },
        {
            content: "Type the value",
            trigger: ".o_read_meter_input",
            run: "edit 115",
        },
        {
            content: "Save and go to the next meter",
            trigger: ".o_read_meter_save",
            run: "click",
        },
        {
            content: "Saved; the next meter is shown",
            trigger: ".o_read_meter_feedback.alert-success:contains(W-A-1)",
        },
        {
            trigger: ".o_read_meter_card .o_read_meter_serial:contains(W-A-2)",
        },
        {
            content: "A value lower than the last one",
            trigger: ".o_read_meter_input",
            run: "edit 50",
        },
        {
            trigger: ".o_read_meter_save",
            run: "click",
        },
        {
            content: "Refused with the reason; the meter stays",
            trigger: ".o_read_meter_feedback.alert-danger:contains(lower than the last one)",
        },
        {
            trigger: ".o_read_meter_card .o_read_meter_serial:contains(W-A-2)",
        },
        {
            content: "Go on to the next meter",
            trigger: ".o_read_meter_next",
            run: "click",
        },
        {
            trigger: ".o_read_meter_card .o_read_meter_serial:contains(W-A-3)",
        },
        {
            content: "Cannot read it: skip with a reason",
            trigger: ".o_read_meter_skip",
            run: "click",
        },
        {
            trigger: ".o_read_meter_skip_reason",
            run: "edit No access",
        },
        {
            trigger: ".o_read_meter_skip_confirm",
            run: "click",
        },
        {
            content: "Skipped; back to the meter left",
            trigger: ".o_read_meter_feedback.alert-info:contains(W-A-3)",
        },
        {
            trigger: ".o_read_meter_card .o_read_meter_serial:contains(W-A-2)",
        },
    ],
});

registry.category("web_tour.tours").add("site_metering_campaign_views", {
    steps: () => [
        {
            content: "Open the campaign",
            trigger: ".o_list_view .o_data_row td[name=name]:contains(Tour Campaign)",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=progress]",
        },
        {
            content: "The campaign's meters",
            trigger: ".oe_stat_button[name=action_view_lines]",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td[name=meter_id]:contains(W-A-1)",
        },
        {
            content: "The phone-friendly kanban of the meters",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            trigger: ".o_kanban_record:contains(W-A-2)",
            run: "click",
        },
        {
            content: "A meter's form with the value to enter",
            trigger: ".o_form_view .o_field_widget[name=entry_value] input",
            run: "edit 120",
        },
        {
            trigger: ".o_form_view button[name=action_record_entry]",
            run: "click",
        },
        {
            content: "Recorded: the value read is shown, the form saved",
            trigger: ".o_form_view .o_form_saved .o_field_widget[name=reading_id]:contains(W-A-2)",
        },
    ],
});

registry.category("web_tour.tours").add("site_metering_import_wizard", {
    steps: () => [
        {
            content: "The import wizard opens with the file and its layout",
            trigger: ".modal .o_field_widget[name=file]",
        },
        {
            trigger: ".modal .o_field_widget[name=col_meter] input",
            run: "edit Seri No",
        },
        {
            trigger: ".modal .o_field_widget[name=save_profile] input",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=profile_name] input",
        },
        {
            content: "Close without importing",
            trigger: ".modal .modal-footer button:contains(Close)",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});
