import { BaseImportModel } from "@base_import/import_model";
import { patch } from "@web/core/utils/patch";

// The server numbers each error's rows as the spreadsheet does (``sheet_rows``, the
// header being row 1); Odoo's screen would show the record's index in the data instead.
patch(BaseImportModel.prototype, {
    _handleImportErrors(messages, name) {
        for (const message of messages) {
            if (message.sheet_rows) {
                // Odoo shows ``record`` as the row of an error in no column.
                message.record = message.sheet_rows.from;
            }
        }
        return super._handleImportErrors(messages, name);
    },
});
