import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("site_portal_resident_tour", {
    steps: () => [
        {
            content: "Home shows the unit with its balance",
            trigger: ".o_site_unit_card[data-unit='A-3'] .o_site_balance:not([data-amount='0.00'])",
        },
        {
            content: "Pay the unit's balance",
            trigger: ".o_site_unit_card[data-unit='A-3'] .o_site_pay_button",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "All debts are chosen: continue",
            trigger: ".o_site_pay_continue",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The payment form with the demo provider",
            trigger: ".o_site_portal_pay input[name='o_payment_radio']",
            run: "click",
        },
        {
            trigger: "input[name='customer_input']",
            run: "edit 4242424242424242",
        },
        {
            content: "Pay",
            trigger: "button[name='o_payment_submit_button']:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Paid",
            trigger: ".o_site_pay_done",
            timeout: 30000,
        },
        {
            trigger: ".o_site_back_to_unit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The balance dropped to zero",
            trigger: ".o_site_unit_card[data-unit='A-3'] .o_site_balance[data-amount='0.00']",
        },
        {
            content: "Go to a meter of the unit",
            trigger: ".o_site_portal_unit a[data-kind='cold_water']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Type a reading far above the usual",
            trigger: "#site_reading_value",
            run: "edit 500",
        },
        {
            trigger: ".o_site_reading_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The reading awaits acceptance",
            trigger: ".o_site_reading_submitted .o_site_reading_state[data-state='to_accept']",
        },
    ],
});
