"""电子卷宗 and `zhixing verify` of archived files."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from zhixing.core.models import Court, User
from zhixing.documents import services
from zhixing.documents.archive import archive_zip_bytes
from zhixing.documents.selectors import archive_for

PDF = b"%PDF-1.7\n% stand-in bytes of a rendered document\n"


def store(judge: User, court: Court, n: int, stream: str = "case:7") -> list:
    return [
        services.store_issued_document(
            actor=judge,
            kind="performance_notice" if i % 2 else "asset_report_order",
            court=court,
            stream=stream,
            case_number="（2026）浙0602执7号",
            pdf=PDF + str(i).encode(),
            on=date(2026, 3, 9),
        )
        for i in range(n)
    ]


def test_archive_zip_lists_documents_in_order_with_manifest(courts: dict[str, Court], judge: User) -> None:
    docs = store(judge, courts["浙0602"], 12)
    store(judge, courts["浙0602"], 2, stream="case:8")
    archived = list(archive_for(stream="case:7"))
    assert [d.pk for d in archived] == [d.pk for d in docs]
    data = archive_zip_bytes(archived)
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = zf.namelist()
    assert names[-2:] == ["index.csv", "manifest.json"]
    assert len(names) == 14
    assert names[0].startswith("0001_（2026）浙0602执报字第1号")
    assert zf.read(names[3]) == PDF + b"3"
    rows = list(csv.reader(io.StringIO(zf.read("index.csv").decode("utf-8-sig"))))
    assert rows[0][0] == "序号" and len(rows) == 13
    assert [r[2] for r in rows[1:]] == [d.number for d in docs]
    assert all(r[7] == "是" for r in rows[1:])


def test_verify_reports_an_altered_archived_file(
    courts: dict[str, Court], judge: User, _documents_dir: Path
) -> None:
    docs = store(judge, courts["浙0602"], 3)
    call_command("zhixing_verify", stdout=io.StringIO())
    path = _documents_dir / docs[1].file.storage_name
    data = bytearray(path.read_bytes())
    data[5] ^= 0xFF
    path.write_bytes(bytes(data))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("zhixing_verify", stdout=out)
    report = out.getvalue()
    assert docs[1].number in report and "摘要不符" in report
    assert docs[0].number not in report
    (_documents_dir / docs[2].file.storage_name).unlink()
    assert any("缺失" in p for p in services.archive_problems())
