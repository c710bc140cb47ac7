"""文书基准：documents issued, then rendered, per second, against bare WeasyPrint in the same run.

    uv run python bench/bench_documents.py [--full]

Sets up Django against a throwaway SQLite database under /tmp (migrated here), seeds the courts
and one judge, then measures:

1. baseline: a minimal "hello" WeasyPrint PDF (Noto CJK), rendered N times;
2. document_issue of a 执行通知书 (validate, number, fill the template, journal, 1 delivery, queue the
   rendering), N times — the act, which no longer waits for the PDF;
3. document_render of those N documents (the worker's part: WeasyPrint, hash, store, journal);
4. archive bundling of 500 stored documents (ZIP with manifest, streamed) vs. copying the same
   bytes into a ZIP directly.

Default N = 10; ``--full`` uses N = 200. The last line is the ratio: documents issued per second to
bare WeasyPrint PDFs per second, counting both parts (issue + render) per document.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(workdir: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("ZHIXING_VAR", str(ROOT / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.config.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.DOCUMENTS_DIR = workdir / "documents"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def rate(n: int, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="200 documents instead of 10")
    args = parser.parse_args()
    n = 200 if args.full else 10
    archive_n = 500

    with tempfile.TemporaryDirectory(prefix="zhixing-bench-", dir="/tmp") as tmp:
        workdir = Path(tmp)
        setup_django(workdir)
        from zhixing.core import services as core_services
        from zhixing.core.models import Court, Department
        from zhixing.core.roles import Role
        from zhixing.documents import rendering, services
        from zhixing.documents.archive import archive_zip_bytes
        from zhixing.documents.samples import SAMPLE_CONTEXTS
        from zhixing.documents.selectors import archive_for

        core_services.org_seed_courts()
        court = Court.objects.get(court_code="浙0602")
        dept = core_services.department_create(
            court=court, kind=Department.Kind.ENFORCEMENT_BUREAU, name="执行局"
        )
        team = core_services.team_create(court=court, department=dept, name="基准团队", track="fast_track")
        judge = core_services.staff_create(
            username="bench_judge",
            full_name="基准",
            court=court,
            team=team,
            role=Role.JUDGE,
            password="Bench-Password-9",
            check_password=False,
        )
        hello = (
            '<html><head><style>@page{size:A4} body{font-family:"Noto Serif CJK SC"}</style></head>'
            "<body><h1>你好</h1><p>hello</p></body></html>"
        )
        rendering.html_to_pdf(hello)  # warm up fontconfig
        services.document_preview(
            kind="performance_notice", context=SAMPLE_CONTEXTS["performance_notice"], court=court
        )

        t = time.perf_counter()
        for _ in range(n):
            rendering.html_to_pdf(hello)
        base_s = time.perf_counter() - t

        t = time.perf_counter()
        last = None
        for i in range(n):
            last = services.document_issue(
                actor=judge,
                kind="performance_notice",
                court=court,
                stream=f"case:{i % 5}",
                case_number="（2026）浙0602执1号",
                context=SAMPLE_CONTEXTS["performance_notice"],
                recipients=[services.Recipient(name="张三", channel="postal", address="某路1号")],
                on=date(2026, 3, 9),
            )
        issue_s = time.perf_counter() - t
        assert last is not None
        t = time.perf_counter()
        assert services.documents_render_pending() == n
        render_s = time.perf_counter() - t
        pdf = services.document_bytes(last)

        for i in range(archive_n):
            services.store_issued_document(
                actor=judge,
                kind="asset_report_order",
                court=court,
                stream="case:archive",
                case_number="（2026）浙0602执2号",
                pdf=pdf + str(i).encode(),
                on=date(2026, 3, 9),
            )
        t = time.perf_counter()
        bundle = archive_zip_bytes(archive_for(stream="case:archive").iterator(chunk_size=200))
        zip_s = time.perf_counter() - t
        paths = [services.document_path(d) for d in archive_for(stream="case:archive")]
        t = time.perf_counter()
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
            for i, p in enumerate(paths):
                zf.writestr(f"{i}.pdf", p.read_bytes())
        raw_s = time.perf_counter() - t

        rows = [
            ("baseline: hello PDF (WeasyPrint)", n, base_s, rate(n, base_s)),
            ("document_issue 执行通知书 (the act)", n, issue_s, rate(n, issue_s)),
            ("document_render (the worker)", n, render_s, rate(n, render_s)),
            (f"archive ZIP, {archive_n} stored docs", archive_n, zip_s, rate(archive_n, zip_s)),
            (f"raw ZIP copy, {archive_n} files", archive_n, raw_s, rate(archive_n, raw_s)),
        ]
        print(f"{'measure':<40} {'n':>5} {'seconds':>9} {'per second':>11}")
        for name, count, secs, r in rows:
            print(f"{name:<40} {count:>5} {secs:>9.3f} {r:>11.1f}")
        print(f"archive bundle size: {len(bundle) / 1e6:.1f} MB; archive/raw time ratio: {zip_s / raw_s:.2f}")
        both = rate(n, issue_s + render_s)
        print(f"documents issued per second (the act alone): {rate(n, issue_s):.2f}")
        print(f"documents issued and rendered per second: {both:.2f}")
        ratio = both / rate(n, base_s)
        print(f"documents issued and rendered per second / bare WeasyPrint PDFs per second = {ratio:.3f}")


if __name__ == "__main__":
    main()
