"""导出：any table as CSV (UTF-8 with BOM, so that Excel opens Chinese text) or XLSX.

Views build a list of headers and rows once and hand them here when the request asks for
``?format=csv`` or ``?format=xlsx``; the same rows render the HTML table otherwise.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def wanted(request: HttpRequest) -> str | None:
    """The export format the request asks for, or None for the HTML page."""
    fmt = request.GET.get("format", "")
    return fmt if fmt in FORMATS else None


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal | int | float | dt.date | dt.datetime):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    return str(value)


def disposition(filename: str, *, inline: bool = False) -> str:
    """A Content-Disposition naming a Chinese file name (RFC 6266 / 5987), with an ASCII fallback."""
    ascii_name = filename.encode("ascii", "ignore").decode().strip(".-_ ") or "export"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def table_response(
    fmt: str, *, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A CSV or XLSX file of the table (``filename`` without extension)."""
    if fmt == "csv":
        buf = io.StringIO()
        buf.write("\ufeff")
        writer = csv.writer(buf)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
        response = HttpResponse(buf.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = filename[:31] or "Sheet1"
        ws.append(list(headers))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([_cell(v) for v in row])
        for i, header in enumerate(headers, start=1):
            width = max(len(str(header)) * 2, 10)
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(width, 40)
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    response["Content-Disposition"] = disposition(f"{filename}.{fmt}")
    return response
