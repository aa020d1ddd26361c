import { Component, onWillStart, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * "Read Meters": the engineer's phone page. One meter at a time with its last value,
 * a big numeric input and Save & next; the checks' outcome is shown at once
 * (refused: the reason, the meter stays; flagged: awaiting acceptance with the reasons).
 */
export class ReadMeters extends Component {
    static template = "site_metering.ReadMeters";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.input = useRef("value");
        this.state = useState({
            loading: true,
            busy: false,
            groups: [],
            lines: [],
            index: 0,
            value: "",
            skipping: false,
            skipReason: "",
            feedback: null,
            showList: false,
        });
        onWillStart(() => this.load());
    }

    async load() {
        const data = await this.orm.call("site.reading.campaign.line", "get_engineer_data", []);
        const lines = [];
        for (const group of data.groups) {
            for (const line of group.lines) {
                lines.push({ ...line, group: group.title });
            }
        }
        Object.assign(this.state, {
            groups: data.groups,
            lines,
            index: Math.min(this.state.index, Math.max(lines.length - 1, 0)),
            loading: false,
        });
    }

    get current() {
        return this.state.lines[this.state.index] || null;
    }

    get position() {
        return `${this.state.index + 1} / ${this.state.lines.length}`;
    }

    focusInput() {
        // The DOM is patched after the state change: focus on the next frame.
        requestAnimationFrame(() => this.input.el && this.input.el.focus());
    }

    go(delta) {
        const count = this.state.lines.length;
        if (!count) {
            return;
        }
        this.state.index = (this.state.index + delta + count) % count;
        this.resetEntry();
    }

    jump(lineId) {
        const index = this.state.lines.findIndex((line) => line.id === lineId);
        if (index >= 0) {
            this.state.index = index;
            this.state.showList = false;
            this.resetEntry();
        }
    }

    resetEntry() {
        this.state.value = "";
        this.state.skipping = false;
        this.state.skipReason = "";
        this.focusInput();
    }

    onInput(ev) {
        this.state.value = ev.target.value;
    }

    onKeydown(ev) {
        if (ev.key === "Enter") {
            ev.preventDefault();
            this.save();
        }
    }

    /** The line is done: drop it, keep the index on the next one. */
    removeCurrent() {
        this.state.lines.splice(this.state.index, 1);
        if (this.state.index >= this.state.lines.length) {
            this.state.index = 0;
        }
        this.resetEntry();
    }

    async save() {
        const line = this.current;
        const text = String(this.state.value || "").trim().replace(",", ".");
        if (!line || this.state.busy) {
            return;
        }
        if (!text || Number.isNaN(Number(text))) {
            this.state.feedback = {
                status: "refused",
                serial: line.serial,
                message: _t("Type the value shown by the meter."),
            };
            return;
        }
        this.state.busy = true;
        try {
            const result = await this.orm.call(
                "site.reading.campaign.line",
                "engineer_record_value",
                [[line.id], Number(text)]
            );
            this.state.feedback = { ...result, serial: line.serial };
            if (result.status !== "refused") {
                this.removeCurrent();
            }
        } finally {
            this.state.busy = false;
        }
    }

    startSkip() {
        this.state.skipping = true;
    }

    async confirmSkip() {
        const line = this.current;
        if (!line || this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            const result = await this.orm.call("site.reading.campaign.line", "engineer_skip", [
                [line.id],
                this.state.skipReason || _t("Not read"),
            ]);
            this.state.feedback = { ...result, serial: line.serial };
            if (result.status !== "refused") {
                this.removeCurrent();
            }
        } finally {
            this.state.busy = false;
        }
    }

    async refresh() {
        this.state.loading = true;
        this.state.feedback = null;
        await this.load();
        this.resetEntry();
    }

    feedbackClass(feedback) {
        return (
            {
                done: "alert-success",
                flagged: "alert-warning",
                skipped: "alert-info",
                refused: "alert-danger",
            }[feedback.status] || "alert-info"
        );
    }

    openCampaignLines() {
        this.action.doAction("site_metering.action_site_reading_campaign_line_mine");
    }
}

registry.category("actions").add("site_metering.read_meters", ReadMeters);
