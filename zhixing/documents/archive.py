"""电子卷宗 (case_file_archive)：all documents of a stream as one streamed ZIP with a manifest.

No re-rendering: the stored files are copied into the ZIP as they are (stored, not deflated —
PDFs are already compressed), chunk by chunk, so a 500-document archive streams at disk speed.
``index.csv`` lists order, number, kind, title, date, SHA-256 and whether the stored file still
matches the hash recorded at issue; ``manifest.json`` holds the same as JSON.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone

from zhixing.documents.models import Document
from zhixing.documents.services import document_file, documents_dir

CHUNK = 1 << 20


class _Sink(io.RawIOBase):
    """A write-only, unseekable buffer: zipfile writes, the generator drains."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        self._chunks.append(data)
        self.size += len(data)
        return len(data)

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        self.size = 0
        return data


def _entry_name(index: int, doc: Document) -> str:
    return f"{index:04d}_{doc.number}_{doc.title}.pdf"


def archive_zip_chunks(documents: Iterable[Document]) -> Iterator[bytes]:
    """Yield the ZIP of ``documents`` (in the given order) chunk by chunk."""
    sink = _Sink()
    base = documents_dir()
    rows: list[dict[str, Any]] = []
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for i, doc in enumerate(documents, 1):
            name = _entry_name(i, doc)
            local = timezone.localtime(doc.issued_at)
            info = zipfile.ZipInfo(name, date_time=local.timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED
            h = hashlib.sha256()
            stored = document_file(document=doc)  # rendered now if the worker has not yet
            path = base / stored.storage_name
            present = path.is_file()
            with zf.open(info, "w", force_zip64=stored.size > (1 << 31)) as dest:
                if present:
                    with path.open("rb") as src:
                        for block in iter(lambda: src.read(CHUNK), b""):
                            h.update(block)
                            dest.write(block)
                            if sink.size >= CHUNK:
                                yield sink.drain()
            rows.append(
                {
                    "seq": i,
                    "file": name,
                    "number": doc.number,
                    "kind": doc.kind,
                    "title": doc.title,
                    "issued_on": doc.issued_on.isoformat(),
                    "sha256": stored.content_hash,
                    "intact": present and h.hexdigest() == stored.content_hash,
                    "corrects": doc.corrects.number if doc.corrects_id and doc.corrects else "",
                }
            )
            yield sink.drain()
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(
            ["序号", "文件", "文书编号", "种类", "名称", "签发日期", "SHA-256", "文件完好", "更正的文书"]
        )
        for r in rows:
            writer.writerow(
                [r["seq"], r["file"], r["number"], r["kind"], r["title"], r["issued_on"], r["sha256"],
                 "是" if r["intact"] else "否", r["corrects"]]
            )  # fmt: skip
        zf.writestr("index.csv", "\ufeff" + text.getvalue())
        zf.writestr("manifest.json", json.dumps(rows, ensure_ascii=False, indent=1))
    yield sink.drain()


def archive_zip_bytes(documents: Iterable[Document]) -> bytes:
    return b"".join(archive_zip_chunks(documents))
