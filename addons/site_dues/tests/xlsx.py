"""XLSX reports in tests, rendered the way /report/download renders them."""

from odoo.tools.safe_eval import safe_eval, time


def xlsx_report(env, report_ref, records, data=None):
    """(download name, workbook bytes) of the XLSX report ``report_ref`` (XML id or
    report name) of ``records``, rendered with ``env``'s user, language and sites."""
    Report = env["ir.actions.report"]
    report = Report._get_report(report_ref)
    records = env[report.model].browse(records.ids)
    name = safe_eval(report.print_report_name, {"object": records, "time": time})
    content, _kind = Report._render_xlsx(report_ref, records.ids, data)
    return f"{name}.xlsx", content


def xlsx_export(env, action):
    """(download name, workbook bytes) of the report action a button returned."""
    report = env["ir.actions.report"]._get_report(action["report_name"])
    return xlsx_report(
        env,
        action["report_name"],
        env[report.model].browse(action["context"]["active_ids"]),
        action.get("data"),
    )
