"""Orchestration: cleaned text -> record + spans."""

from __future__ import annotations

import re
from typing import NamedTuple

from . import chinese, english
from .clean import clean
from .common import Hit, LeaderHit, dedupe_hits, drop_prefix_duplicates, make_hit, resolve_year, split_sentences
from .decode import bytes_to_text
from .errors import NoVisitFound
from .lexicons import EN_VISIT_WORDS, TOPIC_KEYWORDS, ZH_MEETING_WORDS, ZH_VISIT_VERBS
from .script import to_simplified

#: Raw input beyond this many characters is ignored (a visit report is a few
#: thousand characters; this keeps a 5 MB paste fast).
MAX_INPUT_CHARS = 200_000
#: The cleaned text is cut to this many characters before analysis.
MAX_ANALYSIS_CHARS = 40_000

RECORD_KEYS = (
    "title",
    "language",
    "date",
    "leaders",
    "accompanying",
    "organizations_visited",
    "places",
    "topics",
    "requirements",
)
TOPICS = (
    "epidemic_prevention",
    "work_resumption",
    "production_safety",
    "flood_prevention",
    "material_supply",
    "enterprise_service",
    "other",
)


class Extraction(NamedTuple):
    """Result of :func:`extract_with_spans`; unpacks as ``record, spans, text``.

    ``spans`` are dicts ``{"field", "start", "end", "text"}`` with offsets into
    ``text`` (the cleaned text).  ``field`` is one of ``title``, ``date``,
    ``leaders.name``, ``leaders.title``, ``accompanying``,
    ``organizations_visited``, ``places``, ``requirements`` and
    ``topics.<topic>`` (keyword evidence); list fields also carry ``index``
    (position of the item in the record's list).
    """

    record: dict
    spans: list[dict]
    text: str


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def detect_language(text: str) -> str:
    sample = text[:20000]
    cjk = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff")
    latin = sum(1 for c in sample if c.isascii() and c.isalpha())
    return "zh" if cjk and cjk * 4 >= latin * 0.5 else "en"


_SITE_SUFFIX_RE = re.compile(
    r"\s*(?:[–—|_]|\s-\s)\s*(?:[^–—|_]{0,40}?(?:Daily|News|Net|Network|Times|Post|Online|Gov|Government|Portal|"
    r"China|Center|Centre|网|报|新闻|在线|政府|门户|频道|中心|日报|晚报|客户端)[^–—|_]{0,20})$",
    re.I,
)


def _find_title(text: str, zh: bool) -> Hit | None:
    m = re.match(r"\s*([^\n]+)", text)
    if not m:
        return None
    line_s, line_e = m.start(1), m.end(1)
    line = text[line_s:line_e]
    limit = 90 if zh else 260
    rest = text[line_e:].strip()
    if len(line) > limit or not rest:
        return None
    if zh and line.endswith("。") and len(line) > 40:
        return None
    sm = _SITE_SUFFIX_RE.search(line)
    if sm and sm.start() > 8:
        line_e = line_s + sm.start()
    return make_hit(text, line_s, line_e, strip=" \t\n")


def _inside_quotes(text: str, start: int, pos: int) -> bool:
    seg = text[start:pos]
    return seg.count("“") > seg.count("”") or seg.count('"') % 2 == 1 or seg.count("「") > seg.count("」")


def _chunk(text: str, s: int, e: int, zh: bool) -> list[Hit]:
    """Split a requirement sentence into short, readable items (substrings)."""
    h = make_hit(text, s, e, strip=" \t\n,，、;；:：.。…")
    if not h:
        return []
    limit = 80 if zh else 240
    if len(h.text) <= limit:
        return [h]
    seps = re.compile(r"[，,；;]" if zh else r"(?<=[,;])\s")
    cuts = [m.end() for m in seps.finditer(text, h.start, h.end) if not _inside_quotes(text, h.start, m.start())]
    cuts.append(h.end)
    out: list[Hit] = []
    cur = h.start
    while cur < h.end:
        fitting = [c for c in cuts if cur < c <= cur + limit]
        nxt = fitting[-1] if fitting else next((c for c in cuts if c > cur), h.end)
        # avoid a tiny last piece: merge it into this one when it still reads as one item
        item = make_hit(text, cur, nxt, strip=" \t\n,，、;；:：.。")
        if item:
            out.append(item)
        cur = nxt
    # strip a dangling conjunction at the start of English items
    fixed = []
    for it in out:
        mm = re.match(r"(?:and|but|so|then|as well as)\s+", it.text) if not zh else None
        if mm:
            it = Hit(it.start + mm.end(), it.end, it.text[mm.end() :])
        if len(it.text) >= (6 if zh else 15):
            fixed.append(it)
    return fixed


def _topics(ana: str, title: Hit | None, zh: bool) -> tuple[list[str], list[Hit], dict[str, float]]:
    low = ana if zh else ana.lower()
    lang = "zh" if zh else "en"
    scores: dict[str, float] = {}
    evidence: list[tuple[str, Hit]] = []
    t_s, t_e = (title.start, title.end) if title else (0, 0)
    for topic, kws in TOPIC_KEYWORDS.items():
        score = 0.0
        words = sorted(kws[lang], key=len, reverse=True)
        rx = re.compile("|".join(re.escape(w) for w in words))
        for m in rx.finditer(low):
            weight = 3.0 if t_s <= m.start() < t_e else 1.0
            score += weight
            if len(evidence) < 200:
                evidence.append((topic, Hit(m.start(), m.end(), ana[m.start() : m.end()])))
        scores[topic] = score
    top = max(scores.values()) if scores else 0
    n = len(ana)
    floor = 1 if n < 600 else 2 if n < 1500 else 3  # short texts mention a topic once or twice
    chosen = [t for t in TOPICS[:-1] if scores.get(t, 0) >= floor and scores[t] >= 0.15 * top]
    if not chosen:
        chosen = ["other"]
    spans = [h for t, h in evidence if t in chosen]
    ev_topics = [t for t, h in evidence if t in chosen]
    for h, t in zip(spans, ev_topics, strict=True):
        h.topic = t  # type: ignore[attr-defined]
    return chosen, spans, scores


def _has_visit_cue(ana: str, zh: bool) -> bool:
    if zh:
        return any(w in ana for w in ZH_VISIT_VERBS + ZH_MEETING_WORDS)
    low = ana.lower()
    return any(w in low for w in EN_VISIT_WORDS)


# --------------------------------------------------------------------------
# main entry
# --------------------------------------------------------------------------


def extract_with_spans(text: str) -> Extraction:
    if not isinstance(text, str):
        raise TypeError("extract_with_spans() expects str; use extract_bytes() for bytes")
    cleaned = clean(text[:MAX_INPUT_CHARS])
    body = cleaned.text[:MAX_ANALYSIS_CHARS]
    if not body.strip():
        raise NoVisitFound("no visit found: the text is empty after removing page boilerplate")
    language = detect_language(body)
    zh = language == "zh"
    ana = to_simplified(body) if zh else body
    assert len(ana) == len(body)

    title = _find_title(body, zh)
    title_end = title.end if title else 0
    sentences = split_sentences(ana, zh)

    # ---------------- leaders ----------------
    if zh:
        raw_leaders = chinese.find_leaders(body, ana, title_end)
        names: list[Hit] = []
    else:
        names = english.find_names(body)
        raw_leaders = english.find_leaders(body, title_end, names)

    leaders, accompanying_people = _merge_leaders(body, ana, raw_leaders, zh)
    if not leaders or not _has_visit_cue(ana, zh):
        raise NoVisitFound(
            "no visit found: the text names no official with a government title on a visit, inspection or meeting"
        )

    # ---------------- accompanying ----------------
    leader_spans = [(lh.name.start, lh.name.end) for lh in leaders]
    leader_spans += [(lh.title.start, lh.title.end) for lh in leaders if lh.title]
    if zh:
        acc = chinese.find_accompanying(body, ana, leader_spans, accompanying_people)
        accompanying = dedupe_hits(acc + accompanying_people)
    else:
        acc = english.find_accompanying(body, names, {s for s, _ in leader_spans})
        accompanying = dedupe_hits(accompanying_people + acc)
    accompanying = [a for a in accompanying if not any(a.start < e and s < a.end for s, e in leader_spans)]
    title_spans = [(lh.title.start, lh.title.end) for lh in raw_leaders if lh.title]
    accompanying = [a for a in accompanying if not any(s <= a.start and a.end <= e for s, e in title_spans)]

    # ---------------- orgs / places ----------------
    if zh:
        orgs, places = chinese.find_orgs_places(body, ana)
    else:
        excluded = [(lh.title.start, lh.title.end) for lh in raw_leaders if lh.title]
        excluded += [(a.start, a.end) for a in accompanying]
        orgs, places = english.find_orgs_places(body, names, excluded)
    orgs = drop_prefix_duplicates(dedupe_hits(orgs))
    places = drop_prefix_duplicates(dedupe_hits(places))
    org_texts = {o.text.lower() for o in orgs}
    places = [p for p in places if p.text.lower() not in org_texts]

    # ---------------- date ----------------
    date, date_hit = _date(body, ana, zh, title_end, cleaned.publication_date, leaders)

    # ---------------- topics ----------------
    topics, topic_hits, _scores = _topics(ana, title, zh)

    # ---------------- requirements ----------------
    if zh:
        req_ranges = chinese.requirement_sentences(ana, sentences, title_end)
    else:
        req_ranges = english.requirement_sentences(body, sentences, title_end)
    req_hits: list[Hit] = []
    heads: set[int] = set()
    for s, e in req_ranges:
        chunks = _chunk(body, s, e, zh)
        if chunks:
            heads.add(chunks[0].start)
        req_hits.extend(chunks)
    req_hits = dedupe_hits(req_hits)
    requirements = []
    for h in req_hits:
        t = h.text
        # capitalise the first word of a requirement (not of a continuation piece)
        if not zh and h.start in heads and t[:1].islower():
            t = t[0].upper() + t[1:]
        requirements.append(t)

    record = {
        "title": title.text if title else None,
        "language": language,
        "date": date,
        "leaders": [{"name": lh.name.text, "title": lh.title.text if lh.title else None} for lh in leaders],
        "accompanying": [a.text for a in accompanying],
        "organizations_visited": [o.text for o in orgs],
        "places": [p.text for p in places],
        "topics": topics,
        "requirements": requirements,
    }

    spans: list[dict] = []

    def add(field: str, h: Hit | None, index: int | None = None) -> None:
        if h is None:
            return
        d = {"field": field, "start": h.start, "end": h.end, "text": body[h.start : h.end]}
        if index is not None:
            d["index"] = index
        spans.append(d)

    add("title", title)
    add("date", date_hit)
    for i, lh in enumerate(leaders):
        add("leaders.name", lh.name, i)
        add("leaders.title", lh.title, i)
    for field, hits in (
        ("accompanying", accompanying),
        ("organizations_visited", orgs),
        ("places", places),
        ("requirements", req_hits),
    ):
        for i, h in enumerate(hits):
            add(field, h, i)
    for h in topic_hits:
        add("topics." + h.topic, h)  # type: ignore[attr-defined]
    spans.sort(key=lambda d: (d["start"], d["field"]))
    return Extraction(record, spans, body)


def _merge_leaders(body: str, ana: str, raw: list[LeaderHit], zh: bool) -> tuple[list[LeaderHit], list[Hit]]:
    """One entry per person, body title preferred, principal leader first."""
    by_name: dict[str, LeaderHit] = {}
    order: list[str] = []
    acc_people: list[Hit] = []
    for lh in sorted(raw, key=lambda x: (x.source != "body", x.name.start)):
        key = ana[lh.name.start : lh.name.end]
        if lh.accompanying:
            if key not in by_name:
                h = lh.name
                if zh and lh.title is not None and lh.title.end == lh.name.start:
                    h = Hit(lh.title.start, lh.name.end, body[lh.title.start : lh.name.end])
                acc_people.append(h)
            continue
        if key not in by_name:
            by_name[key] = lh
            order.append(key)
    # a headline-only leader is still a leader
    acc_people = [h for h in acc_people if not any(ana[h.start : h.end].endswith(k) for k in by_name)]
    first_pos = {k: min(x.name.start for x in raw if ana[x.name.start : x.name.end] == k) for k in order}
    counts = {k: ana.count(k) for k in order}
    order.sort(key=lambda k: first_pos[k])
    if order:
        principal = max(order, key=lambda k: (counts[k], -first_pos[k]))
        order.remove(principal)
        order.insert(0, principal)
    return [by_name[k] for k in order], acc_people


def _date(body, ana, zh, title_end, pub, leaders):
    cands = chinese.find_dates(body, ana) if zh else english.find_dates(body)
    empty = {"as_written": None, "iso": None, "year": None, "month": None, "day": None}
    if not cands:
        return empty, None
    body_cands = [c for c in cands if c[0].start >= title_end] or cands
    # prefer a date in a sentence that mentions a leader
    names = {ana[lh.name.start : lh.name.end] for lh in leaders}
    chosen = body_cands[0]
    for c in body_cands[:5]:
        s = c[0].start
        window = ana[max(0, s - 40) : s + 200]
        if any(n in window for n in names):
            chosen = c
            break
    hit, year, month, day = chosen
    if not zh:
        m = re.match(r"(?:[Oo]n\s+)", body[max(0, hit.start - 3) : hit.start])
        _ = m
    if year is None:
        year = resolve_year(month, day, pub)
    iso = f"{year:04d}-{month:02d}-{day:02d}" if year and month and day else None
    return {"as_written": hit.text, "iso": iso, "year": year, "month": month, "day": day}, hit


def extract(text: str) -> dict:
    """Extract a visit record from report text; raises :class:`NoVisitFound`."""
    return extract_with_spans(text).record


def extract_bytes(data: bytes, filename: str | None = None) -> dict:
    """Like :func:`extract` for file contents (.txt in UTF-8/GB18030/UTF-16, .html, .docx)."""
    return extract_with_spans(bytes_to_text(data, filename)).record


def extract_bytes_with_spans(data: bytes, filename: str | None = None) -> Extraction:
    return extract_with_spans(bytes_to_text(data, filename))
