"""Shared small helpers: found items with offsets, sentence splitting, dates."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass


@dataclass
class Hit:
    """A piece of the cleaned text: [start, end) and the text as written."""

    start: int
    end: int
    text: str


@dataclass
class LeaderHit:
    name: Hit
    title: Hit | None
    source: str = "body"  # "body" or "title" (headline)
    accompanying: bool = False


@dataclass
class Sentence:
    start: int
    end: int
    para: int


def make_hit(text: str, start: int, end: int, strip: str = " \t\n,，、;；:：.。") -> Hit | None:
    """Slice text[start:end] and trim punctuation/space at both ends."""
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    if start >= end:
        return None
    return Hit(start, end, text[start:end])


def dedupe_hits(hits: list[Hit], key=lambda h: h.text.lower()) -> list[Hit]:
    seen: set[str] = set()
    out = []
    for h in hits:
        k = key(h)
        if k in seen:
            continue
        seen.add(k)
        out.append(h)
    return out


def drop_prefix_duplicates(hits: list[Hit]) -> list[Hit]:
    """Drop items that are a leading part of a longer item ("Putuo" vs "Putuo District")."""
    out = []
    for h in hits:
        t = h.text.lower()
        if any(o is not h and len(o.text) > len(h.text) and o.text.lower().startswith(t) for o in hits):
            continue
        out.append(h)
    return out


_EN_SENT_RE = re.compile(
    r"(?<![A-Z])(?<!\bCo)(?<!\bLtd)(?<!\bNo)(?<!\bMr)(?<!\bDr)(?<!\bSt)(?<!\bInc)(?<!\bvs)"
    r"[.!?;]+[\"”’)]*(?:\s+|(?=[A-Z“\"]))"
)
_ZH_SENT_RE = re.compile(r"[。！？；!?;]+[”’\"」』)）]*|\.{3,}|…+")


def split_sentences(text: str, zh: bool) -> list[Sentence]:
    out: list[Sentence] = []
    pos = 0
    for para_no, para in enumerate(text.split("\n")):
        start = pos
        pos += len(para) + 1
        if not para.strip():
            continue
        rx = _ZH_SENT_RE if zh else _EN_SENT_RE
        s = start
        for m in rx.finditer(para):
            e = start + m.end()
            if text[s:e].strip():
                out.append(Sentence(s, e, para_no))
            s = e
        if s < start + len(para) and text[s : start + len(para)].strip():
            out.append(Sentence(s, start + len(para), para_no))
    return out


def valid_date(y: int | None, m: int | None, d: int | None) -> bool:
    if m is not None and not 1 <= m <= 12:
        return False
    if d is not None and not 1 <= d <= 31:
        return False
    if y is not None and m is not None and d is not None:
        try:
            _dt.date(y, m, d)
        except ValueError:
            return False
    return True


def resolve_year(month: int, day: int | None, pub: tuple[int, int, int] | None) -> int | None:
    """Year of a visit written without a year, from the page's publication date.

    Rule: a report is published after the visit.  If the visit's (month, day)
    is not after the publication's (month, day), the visit is in the
    publication year.  If it is after (December visit, January publication),
    it is in the previous year, but only when the gap is at most 62 days;
    otherwise we do not guess and return None.
    """
    if not pub:
        return None
    py, pm, pd = pub
    d = day or 1
    if (month, d) <= (pm, pd):
        return py
    try:
        gap = (_dt.date(py, pm, pd) - _dt.date(py - 1, month, min(d, 28))).days
    except ValueError:
        return None
    return py - 1 if 0 <= gap <= 62 else None
