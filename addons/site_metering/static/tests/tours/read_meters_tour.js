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
