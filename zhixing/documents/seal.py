"""印章 (seal_image)：生成法院印章的 SVG — red circle, five-pointed star, the court's name on the arc.

The seal is drawn, not scanned: a 42 mm circle with the court's name set character by character
along the upper arc (each glyph rotated to face the centre), a five-pointed star in the middle
and the seal's purpose (e.g. 执行专用章) set horizontally below it. No image dependency: the SVG
is inlined in the document's HTML and WeasyPrint draws it as vectors.
"""

from __future__ import annotations

import math
from functools import lru_cache
from html import escape

RED = "#d0021b"
FONT = "Noto Serif CJK SC, Noto Sans CJK SC, serif"


def _star(cx: float, cy: float, outer: float) -> str:
    inner = outer * math.sin(math.radians(18)) / math.sin(math.radians(54))
    points = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        angle = math.radians(-90 + i * 36)
        points.append(f"{cx + r * math.cos(angle):.2f},{cy + r * math.sin(angle):.2f}")
    return f'<polygon points="{" ".join(points)}" fill="{RED}"/>'


@lru_cache(maxsize=64)
def seal_svg(court_name: str, purpose: str = "执行专用章", size_mm: float = 42.0) -> str:
    """法院印章 SVG（viewBox 0 0 200 200），width/height in millimetres."""
    c = 100.0
    chars = list(court_name)
    n = len(chars)
    # The name spans up to 240° of the upper arc, centred on the top; fewer characters, less arc.
    span = min(240.0, max(120.0, 20.0 * n))
    font = 22.0 if n <= 10 else max(15.0, 220.0 / n)
    radius = 72.0
    glyphs = []
    for i, ch in enumerate(chars):
        angle = -90.0 - span / 2 + (span * (i + 0.5) / n)
        rad = math.radians(angle)
        x = c + radius * math.cos(rad)
        y = c + radius * math.sin(rad)
        glyphs.append(
            f'<text x="0" y="0" transform="translate({x:.2f},{y:.2f}) rotate({angle + 90:.2f})" '
            f'text-anchor="middle" dominant-baseline="central" font-size="{font:.1f}" '
            f'font-family="{FONT}" font-weight="bold" fill="{RED}">{escape(ch)}</text>'
        )
    bottom = (
        f'<text x="{c}" y="150" text-anchor="middle" font-size="17" font-family="{FONT}" '
        f'font-weight="bold" fill="{RED}">{escape(purpose)}</text>'
        if purpose
        else ""
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="seal-image" viewBox="0 0 200 200" '
        f'width="{size_mm}mm" height="{size_mm}mm" role="img" aria-label="{escape(court_name)}印章">'
        f'<circle cx="{c}" cy="{c}" r="95" fill="none" stroke="{RED}" stroke-width="6"/>'
        f"{_star(c, c, 30)}{''.join(glyphs)}{bottom}</svg>"
    )
