"""Charts drawn on the server as SVG (for PDF bulletins: no browser, no JavaScript)."""

from __future__ import annotations

from xml.sax.saxutils import escape

COLOURS = ["#1d3c6e", "#c8102e", "#2fb344", "#f59f00", "#7048e8", "#17a2b8"]
FONT = "Noto Sans CJK SC, sans-serif"


def line_chart(labels, series, *, width=640, height=240, y_max=100, unit="%") -> str:
    """``series``: [{"name": str, "data": [number | None, …]}]; gaps where data is None."""
    left, right, top, bottom = 40, 12, 14, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(labels), 1)

    def x(i):
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v):
        return top + plot_h * (1 - min(max(v, 0), y_max) / y_max)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT}" font-size="10">'
    ]
    for tick in range(0, y_max + 1, y_max // 4):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e6e8eb"/>')
        parts.append(f'<text x="{left - 4}" y="{y(tick) + 3:.1f}" text-anchor="end" fill="#667085">{tick}{unit}</text>')
    step = max(1, n // 8)
    for i, label in enumerate(labels):
        if i % step == 0 or i == n - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{top + plot_h + 14}" text-anchor="middle" fill="#667085">{escape(str(label))}</text>'
            )
    for index, s in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        segments, current = [], []
        for i, value in enumerate(s["data"]):
            if value is None:
                if current:
                    segments.append(current)
                current = []
            else:
                current.append(f"{x(i):.1f},{y(value):.1f}")
        if current:
            segments.append(current)
        for segment in segments:
            if len(segment) == 1:
                cx, cy = segment[0].split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="2" fill="{colour}"/>')
            else:
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="1.8" points="{" ".join(segment)}"/>'
                )
        lx = left + index * (plot_w / max(len(series), 1))
        ly = height - 10
        parts.append(f'<rect x="{lx:.1f}" y="{ly - 8}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{lx + 14:.1f}" y="{ly + 1}" fill="#1f2937">{escape(str(s["name"]))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(labels, values, *, width=640, row_height=18, max_value=100, unit="%") -> str:
    """Horizontal bars, one per label (None drawn as an empty row with a dash)."""
    label_w, right = 150, 50
    height = row_height * len(labels) + 8
    plot_w = width - label_w - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT}" font-size="10">'
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        top = 4 + i * row_height
        parts.append(
            f'<text x="{label_w - 6}" y="{top + row_height * 0.65:.1f}" text-anchor="end" fill="#1f2937">{escape(str(label)[:14])}</text>'
        )
        if value is None:
            parts.append(f'<text x="{label_w + 4}" y="{top + row_height * 0.65:.1f}" fill="#667085">—</text>')
            continue
        w = plot_w * min(max(value, 0), max_value) / max_value
        parts.append(
            f'<rect x="{label_w}" y="{top + 3}" width="{w:.1f}" height="{row_height - 6}" fill="{COLOURS[0]}"/>'
        )
        parts.append(
            f'<text x="{label_w + w + 4:.1f}" y="{top + row_height * 0.65:.1f}" fill="#1f2937">{value}{unit}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
