"""Every template renders to an A4 PDF with embedded Noto CJK fonts and extractable Chinese text."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from zhixing.core.errors import ServiceError
from zhixing.core.models import Court
from zhixing.documents import rendering, services
from zhixing.documents.samples import SAMPLE_CONTEXTS, TITLES
from zhixing.documents.seal import seal_svg

CASE = "（2026）浙0602执123号"


def _fonts(reader: PdfReader) -> list[tuple[str, set[str]]]:
    found = []
    for page in reader.pages:
        fonts: Any = page["/Resources"]["/Font"]  # type: ignore[index]
        for ref in fonts.values():
            font = ref.get_object()
            descs = [font]
            if "/DescendantFonts" in font:
                descs = [d.get_object() for d in font["/DescendantFonts"]]
            for d in descs:
                fd = d["/FontDescriptor"].get_object()
                found.append((str(font["/BaseFont"]), {k for k in fd if k.startswith("/FontFile")}))
    return found


def test_every_kind_has_a_sample_and_a_template() -> None:
    assert set(rendering.available_kinds()) == set(SAMPLE_CONTEXTS)


@pytest.mark.parametrize("kind", sorted(SAMPLE_CONTEXTS))
def test_render_each_kind_embeds_noto_cjk_and_extracts_chinese(courts: dict[str, Court], kind: str) -> None:
    pdf = services.document_preview(
        kind=kind,
        context=SAMPLE_CONTEXTS[kind],
        court=courts["浙0602"],
        case_number=CASE,
        on=date(2026, 11, 29),
    )
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(p.extract_text() for p in reader.pages).replace(" ", "").replace("\n", "")
    assert "绍兴市越城区人民法院" in text
    assert TITLES[kind] in text
    assert CASE in text
    assert "二〇二六年十一月二十九日" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    fonts = _fonts(reader)
    assert fonts and all(files & {"/FontFile", "/FontFile2", "/FontFile3"} for _, files in fonts)
    assert any("Noto-Serif-CJK-SC" in name for name, _ in fonts)


def test_preview_with_missing_field_names_it(courts: dict[str, Court], fast_pdf: list[str]) -> None:
    ctx = dict(SAMPLE_CONTEXTS["performance_notice"])
    del ctx["performance_deadline"]
    with pytest.raises(ServiceError) as caught:
        services.document_preview(kind="performance_notice", context=ctx, court=courts["浙0602"])
    assert caught.value.code == "missing_field"
    assert caught.value.field == "performance_deadline"
    assert "performance_deadline" in caught.value.message


def test_template_referring_to_an_undeclared_field_fails_at_preview(
    courts: dict[str, Court], settings: object, tmp_path: object, fast_pdf: list[str]
) -> None:
    import pathlib

    folder = pathlib.Path(str(tmp_path)) / "tpl"
    folder.mkdir()
    src = (rendering.PACKAGE_TEMPLATE_DIR / "restoration_notice.html").read_text(encoding="utf-8")
    (folder / "restoration_notice.html").write_text(
        src.replace("特此通知。", "承办人：{{ officer_name }}。特此通知。"), encoding="utf-8"
    )
    settings.DOCUMENTS_TEMPLATE_DIR = str(folder)  # type: ignore[attr-defined]
    with pytest.raises(ServiceError) as caught:
        services.document_preview(
            kind="restoration_notice", context=SAMPLE_CONTEXTS["restoration_notice"], court=courts["浙0602"]
        )
    assert caught.value.code == "missing_field" and caught.value.field == "officer_name"


def test_chinese_dates_and_money() -> None:
    assert rendering.cn_date(date(2026, 11, 29)) == "二〇二六年十一月二十九日"
    assert rendering.cn_date("2026-10-01") == "二〇二六年十月一日"
    assert rendering.cn_date(date(2030, 12, 20)) == "二〇三〇年十二月二十日"
    assert rendering.yuan("1234567.5") == "1,234,567.50"


def test_seal_is_red_circle_star_and_name() -> None:
    svg = seal_svg("绍兴市越城区人民法院")
    assert "<circle" in svg and "<polygon" in svg and "#d0021b" in svg
    assert all(ch in svg for ch in "绍兴市越城区人民法院")
    assert "执行专用章" in svg
