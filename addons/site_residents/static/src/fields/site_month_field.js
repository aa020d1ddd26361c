import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { dateField, DateTimeField } from "@web/views/fields/datetime/datetime_field";
import { listDateField, ListDateTimeField } from "@web/views/fields/datetime/list_datetime_field";

/**
 * A month stored as a date (its first day) reads as the month and the year in the
 * user's language, "Aralık 2026", never as a day ("1 Ara"), and is picked from the
 * months of the date picker.
 */
export function formatMonth(value) {
    return value ? value.toFormat("LLLL yyyy") : "";
}

const monthDisplay = (Base) =>
    class extends Base {
        getFormattedValue(valueIndex) {
            return formatMonth(this.values[valueIndex]);
        }
    };

export class SiteMonthField extends monthDisplay(DateTimeField) {}
export class SiteListMonthField extends monthDisplay(ListDateTimeField) {}

function extractMonthProps(fieldInfo, dynamicInfo) {
    return {
        ...dateField.extractProps(fieldInfo, dynamicInfo),
        minPrecision: fieldInfo.options.min_precision || "months",
    };
}

export const siteMonthField = {
    ...dateField,
    component: SiteMonthField,
    displayName: _t("Month"),
    extractProps: extractMonthProps,
};

registry
    .category("fields")
    .add("site_month", siteMonthField)
    .add("list.site_month", {
        ...listDateField,
        component: SiteListMonthField,
        displayName: _t("Month"),
        extractProps: extractMonthProps,
    });
