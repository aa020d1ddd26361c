"""Spreadsheet files for tests of the suite's uploads."""

import io
import re
import zipfile

import openpyxl


def xlsx_file(rows, dimension=None):
    """XLSX bytes of ``rows``; with ``dimension`` (e.g. "A1:XFD1048576") the sheet
    declares that size whatever it holds, as a crafted file would."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    output = io.BytesIO()
    book.save(output)
    if not dimension:
        return output.getvalue()
    source, crafted = zipfile.ZipFile(output), io.BytesIO()
    with zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content, count = re.subn(
                    rb'<dimension ref="[^"]*"/>',
                    f'<dimension ref="{dimension}"/>'.encode(),
                    content,
                )
                assert count == 1, "the sheet declares no dimension to replace"
            target.writestr(info, content)
    return crafted.getvalue()
