import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("site_governance_vote_tour", {
    steps: () => [
        {
            content: "The home page says a vote is awaited",
            trigger: ".o_site_vote_waiting",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Choose 'For' for A-3",
            trigger: ".o_site_vote_form[data-unit='A-3'] .o_site_vote_option[data-choice='for']",
            run: "click",
        },
        {
            content: "Cast the vote",
            trigger: ".o_site_vote_form[data-unit='A-3'] .o_site_vote_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The vote is recorded",
            trigger: ".o_site_vote_cast[data-unit='A-3']",
        },
        {
            content: "The unit shows its vote",
            trigger: ".o_site_vote_unit[data-unit='A-3'] .o_site_vote_status[data-choice='for']",
        },
    ],
});
