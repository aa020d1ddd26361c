from odoo import fields, models


class ReportSiteMessageXlsx(models.AbstractModel):
    """The archive's selected messages as a spreadsheet: one row per message."""

    _name = "report.site_messaging.report_site_message_xlsx"
    _inherit = ["site.xlsx.report"]
    _description = "Site Messages XLSX"

    def generate_xlsx_report(self, workbook, data, messages):
        formats = self._formats(workbook)
        formats["datetime"] = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        sheet = workbook.add_worksheet(self.env._("Messages"))
        self._write_texts(
            sheet,
            0,
            0,
            [
                self.env._("Date"),
                self.env._("Site"),
                self.env._("Channel"),
                self.env._("Template"),
                self.env._("Recipient"),
                self.env._("Units"),
                self.env._("Number or Address"),
                self.env._("Sent By"),
                self.env._("Status"),
                self.env._("Reason"),
                self.env._("SMS Parts"),
                self.env._("Cost"),
                self.env._("Content"),
            ],
            formats["header"],
        )
        channels = dict(messages._fields["channel"]._description_selection(self.env))
        states = dict(messages._fields["state"]._description_selection(self.env))
        for row, message in enumerate(messages.sorted("create_date"), start=1):
            sheet.write_datetime(
                row,
                0,
                fields.Datetime.context_timestamp(self, message.create_date).replace(tzinfo=None),
                formats["datetime"],
            )
            self._write_texts(
                sheet,
                row,
                1,
                [
                    message.company_id.name,
                    channels.get(message.channel),
                    message.template_id.name,
                    message.partner_id.name,
                    message.unit_codes,
                    message.destination,
                    message.user_id.name,
                    states.get(message.state),
                    message.failure_reason,
                ],
            )
            sheet.write_number(row, 10, message.segments)
            sheet.write_number(row, 11, message.cost, formats["money"])
            self._write_texts(sheet, row, 12, [message.body])
        sheet.freeze_panes(1, 0)
