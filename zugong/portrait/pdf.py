"""The printed portrait (WeasyPrint, as interop's printed form). The radar is drawn as an
SVG computed here: WeasyPrint runs no script, so the page's ECharts radar cannot print."""

from __future__ import annotations

import math

from django.template.loader import render_to_string
from django.utils import timezone

SIZE = 240
RADIUS = 90


def _point(i: int, n: int, fraction: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * i / n
    c = SIZE / 2
    return (round(c + RADIUS * fraction * math.cos(angle), 1),
            round(c + RADIUS * fraction * math.sin(angle), 1))


def radar_svg(labels: list[str], scores: list) -> dict:
    """Rings, spokes, label positions and the score polygon of a five-axis radar (0–100)."""
    n = len(labels)
    rings = [" ".join(f"{x},{y}" for x, y in (_point(i, n, f / 4) for i in range(n)))
             for f in range(1, 5)]
    spokes = [_point(i, n, 1) for i in range(n)]
    marks = [(*_point(i, n, 1.18), label) for i, label in enumerate(labels)]
    shape = " ".join(f"{x},{y}" for x, y in (
        _point(i, n, float(s or 0) / 100) for i, s in enumerate(scores)))
    return {"size": SIZE, "centre": SIZE / 2, "rings": rings, "spokes": spokes,
            "marks": marks, "shape": shape}


def portrait_pdf(portrait) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    chart = portrait.chart()
    html = render_to_string("portrait/print.html", {
        "p": portrait, "radar": radar_svg(chart["dimensions"], chart["scores"]),
        "printed": timezone.localdate()})
    # Nothing may be fetched while rendering (no file:// reads, no network).
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
