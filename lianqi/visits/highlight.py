"""The review page's source text: the cleaned text cut into segments, each marked with the
extracted field it belongs to (overlaps resolved by priority), so the template stays simple."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from .choices import SPAN_COLOURS, TOPIC_LABELS

FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "date": gettext_lazy("Date"),
    "leaders.name": gettext_lazy("Leader"),
    "leaders.title": gettext_lazy("Leader's title"),
    "accompanying": gettext_lazy("Accompanying"),
    "organizations_visited": gettext_lazy("Organisation visited"),
    "places": gettext_lazy("Place"),
    "requirements": gettext_lazy("Requirement"),
    "topics": gettext_lazy("Topic keyword"),
}
# Higher wins where spans overlap (a leader's name inside a requirement shows as the name).
PRIORITY = {
    "leaders.name": 9,
    "leaders.title": 8,
    "organizations_visited": 7,
    "places": 6,
    "date": 5,
    "accompanying": 4,
    "title": 3,
    "requirements": 2,
    "topics": 1,
}


def field_key(field: str) -> str:
    return "topics" if field.startswith("topics.") else field


def segments(text: str, spans: list[dict]) -> list[dict]:
    """[{"text", "field", "css", "label", "index"}]; ``field`` is "" for plain text."""
    bounds = {0, len(text)}
    cleaned = []
    for s in spans:
        start, end = max(0, int(s["start"])), min(len(text), int(s["end"]))
        if start < end:
            cleaned.append((start, end, s))
            bounds.update((start, end))
    points = sorted(bounds)
    out = []
    for a, b in zip(points, points[1:], strict=False):
        active = [s for start, end, s in cleaned if start <= a and b <= end]
        if not active:
            out.append({"text": text[a:b], "field": ""})
            continue
        top = max(active, key=lambda s: PRIORITY.get(field_key(s["field"]), 0))
        key = field_key(top["field"])
        label = FIELD_LABELS.get(key, key)
        if key == "topics":
            label = f"{label}: {TOPIC_LABELS.get(top['field'].split('.', 1)[1], '')}"
        piece = {
            "text": text[a:b],
            "field": key,
            "css": key.replace(".", "-").replace("_", "-"),
            "colour": SPAN_COLOURS.get(key, "secondary"),
            "label": label,
            "index": top.get("index"),
        }
        prev = out[-1] if out else None
        if prev and prev["field"] == key and prev.get("index") == piece["index"] and key != "":
            prev["text"] += piece["text"]
        else:
            out.append(piece)
    return out


def legend(spans: list[dict]) -> list[dict]:
    counts: dict[str, int] = {}
    for s in spans:
        key = field_key(s["field"])
        counts[key] = counts.get(key, 0) + 1
    return [
        {
            "field": k,
            "css": k.replace(".", "-").replace("_", "-"),
            "colour": SPAN_COLOURS[k],
            "label": FIELD_LABELS[k],
            "count": counts[k],
        }
        for k in sorted(counts, key=lambda k: -PRIORITY.get(k, 0))
        if k in FIELD_LABELS
    ]
