"""Rules for English (translated) visit reports."""

from __future__ import annotations

import functools
import re

from .common import Hit, LeaderHit, Sentence, make_hit, valid_date
from .lexicons import (
    EN_GOV_BODY_WORDS,
    EN_LEADER_GROUP_RE,
    EN_LEADER_VERBS,
    EN_NON_NAME_WORDS,
    EN_ORG_SUFFIXES,
    EN_PLACE_SUFFIXES,
    EN_TITLE_VOCAB,
    EN_TITLE_WORD_RE,
    PINYIN_COMPOUND_SURNAMES,
    PINYIN_SURNAMES,
    PINYIN_SYLLABLES,
)

# --------------------------------------------------------------------------
# names
# --------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def is_pinyin_word(word: str, max_syllables: int = 3) -> bool:
    w = word.lower().replace("'", "").replace("’", "").replace("-", "")
    if not w.isalpha() or not w.isascii():
        return False
    n = len(w)
    best = [99] * (n + 1)
    best[0] = 0
    for i in range(n):
        if best[i] >= 99:
            continue
        for j in range(i + 1, min(n, i + 6) + 1):
            if w[i:j] in PINYIN_SYLLABLES and best[i] + 1 < best[j]:
                best[j] = best[i] + 1
    return best[n] <= max_syllables


_NAME_RE = re.compile(r"\b(?=([A-Z][a-z]{0,7})[ \u00a0]([A-Z][a-z]{1,13}(?:-[a-z]{1,6})?)\b)")
_NAME_BLOCKERS = re.compile(
    r"\s+(?:District|County|City|Village|Town|Township|Street|Road|Zone|Province|Community|Group|Company|"
    r"Foods?|Co\b|Port|Park|Bay|River|Lake|Mountain|Island|Bridge|Area|Station|Hospital|School|Plant|Factory|"
    r"Industrial|Aquatic|Subdistrict|Prefecture|Municipal|Technology|New|High|Development|Institute|Home|Square)\b"
)


def find_names(text: str) -> list[Hit]:
    out: list[Hit] = []
    for m in _NAME_RE.finditer(text):
        sur, given = m.group(1), m.group(2)
        end = m.start() + len(sur) + 1 + len(given)
        if out and out[-1].end > m.start():
            continue
        sl = sur.lower()
        if sl in EN_NON_NAME_WORDS and sl not in ("he", "ma", "an"):
            continue
        if sl not in PINYIN_SURNAMES and sl not in PINYIN_COMPOUND_SURNAMES:
            continue
        if not is_pinyin_word(given, 3) or given.lower() in {"district", "county"}:
            continue
        if _NAME_BLOCKERS.match(text, end):
            continue
        # "He Zhongwei" is a name; "He Emphasized" never passes is_pinyin_word
        out.append(Hit(m.start(), end, text[m.start() : end]))
    return out


# --------------------------------------------------------------------------
# leaders
# --------------------------------------------------------------------------

_TITLE_WORD = re.compile(r"\b" + EN_TITLE_WORD_RE + r"\b", re.I)
_VERB_START = re.compile(r"^\s*(?:" + EN_LEADER_VERBS + r")\b", re.I)
_TITLE_FIRST = re.compile(
    r"^(?:the\s+)?(?:deputy|vice|executive|standing|first|acting|party|municipal|city|district|county|"
    r"provincial|secretary|mayor|governor|head|chief|director|chairman|chairwoman|member|minister|president|"
    r"leader|commissioner|magistrate|secretary-general|director-general|general|permanent|principal|"
    r"[A-Z][a-z]+ (?:District|County|City|Municipal|Province)|[A-Z][a-z]+)\b",
)
_TITLE_FORBIDDEN = re.compile(
    r"\b(?:went|visited|inspected|led|to go|to the|said|stressed|emphasized|urged|attended|accompanied|"
    r"arrived|came|is|are|was|were|has|have|will|would|should|must)\b",
    re.I,
)


def _clean_title(text: str, start: int, end: int) -> Hit | None:
    seg = text[start:end]
    lead = re.match(r"\s*(?:the\s+)?", seg, re.I)
    if lead:
        start += lead.end()
    return make_hit(text, start, end)


def _valid_title_phrase(seg: str, first_required: bool = True) -> bool:
    s = seg.strip()
    if not s or len(s) > 180 or len(s.split()) > 24:
        return False
    if not _TITLE_WORD.search(s):
        return False
    if _TITLE_FORBIDDEN.search(s):
        return False
    return not first_required or bool(_TITLE_FIRST.match(s))


def _title_after(text: str, name: Hit, names_at: set[int]) -> Hit | None:
    """NAME, (the) TITLE[, TITLE...], VERB"""
    pos = name.end
    if not text.startswith(",", pos):
        return None
    start = pos + 1
    end = None
    cur = start
    for _ in range(4):
        m = re.compile(r"[,;.\n(]").search(text, cur)
        if not m:
            return None
        seg = text[cur : m.start()]
        if not _valid_title_phrase(seg):
            break
        end = m.start()
        if text[m.start()] != ",":
            break
        nxt = text[m.end() : m.end() + 80]
        if _VERB_START.match(nxt) or m.end() + 1 in names_at:
            break
        cur = m.end()
    if end is None:
        return None
    # the title must be followed by a comma and a verb / "and NAME" / end of clause
    after = text[end : end + 60]
    if not (after.startswith((",", ".", ";", "\n")) or after.startswith(" (")):
        return None
    return _clean_title(text, start, end)


def _title_before(text: str, name: Hit) -> Hit | None:
    """TITLE[,] NAME  ("Deputy Secretary ... and Mayor, He Zhongwei"; "Mayor Bai Xiangyang")."""
    s = name.start
    pre_start = max(0, s - 220)
    prefix = text[pre_start:s]
    m = re.search(r"[ ,]*$", prefix)
    tail = prefix[: m.start()] if m else prefix
    if not tail:
        return None
    b = max(tail.rfind(c) for c in ',.;:\n!?“"(')
    seg = tail[b + 1 :]
    seg_start = pre_start + b + 1
    words = seg.split()
    if not words or len(words) > 14:
        return None
    # all words are title vocabulary or capitalised proper nouns
    for w in words:
        wl = w.lower().strip("'’")
        if wl in EN_TITLE_VOCAB or (w[:1].isupper() and wl not in ("on", "in", "at", "during", "when", "after")):
            continue
        return None
    if not re.search(EN_TITLE_WORD_RE + r"$", seg.strip(), re.I):
        return None
    if not words[0][:1].isupper():
        return None
    return _clean_title(text, seg_start, seg_start + len(seg))


_GROUP_RE = re.compile(EN_LEADER_GROUP_RE + r"\s+(?=[A-Z])")


def _group_leaders(text: str, names: list[Hit]) -> list[tuple[Hit, Hit, str]]:
    """Municipal leaders A, B, C and D attended -> [(name, group_title, verb)]."""
    out = []
    by_start = {n.start: n for n in names}
    for g in _GROUP_RE.finditer(text):
        label = g.group(0).strip()
        pos = g.end()
        members: list[Hit] = []
        while pos in by_start:
            n = by_start[pos]
            members.append(n)
            rest = text[n.end : n.end + 200]
            m = re.match(r"(?:,\s*(?:and\s+)?|\s+and\s+)", rest)
            if not m:
                # appositive title then separator
                m2 = re.match(r",([^,.;]{3,120}),\s*(?:and\s+)?", rest)
                if m2 and _valid_title_phrase(m2.group(1)) and n.end + m2.end() in by_start:
                    pos = n.end + m2.end()
                    continue
                break
            pos = n.end + m.end()
        if not members:
            continue
        tail = text[members[-1].end : members[-1].end + 200]
        verb = "accompanied" if re.search(r"^[^.]{0,120}?\baccompan", tail) else "attended"
        title_text = re.sub(r"s$", "", label.split()[0] + " " + label.split()[1]) if len(label.split()) == 2 else label
        t = Hit(g.start(), g.start() + len(title_text), text[g.start() : g.start() + len(title_text)])
        for n in members:
            out.append((n, t, verb))
    return out


def find_leaders(text: str, title_end: int, names: list[Hit]) -> list[LeaderHit]:
    names_at = {n.start for n in names}
    found: list[LeaderHit] = []
    grouped = {}
    for n, t, verb in _group_leaders(text, names):
        grouped[n.start] = (t, verb)
    for n in names:
        after = _title_after(text, n, names_at)
        source = "title" if n.start < title_end else "body"
        if n.start in grouped:
            gt, verb = grouped[n.start]
            found.append(LeaderHit(n, after or gt, source, accompanying=(verb == "accompanied")))
            continue
        title = after or _title_before(text, n)
        if title is None:
            continue
        clause = re.match(r"[^.;]*", text[n.end : n.end + 300])
        acc = bool(_NON_GOV_TITLE.search(title.text)) or bool(
            clause and re.search(r"\baccompanied\b(?!\s+by)", clause.group(0))
        )
        found.append(LeaderHit(n, title, source, accompanying=acc))
    return found


_NON_GOV_TITLE = re.compile(
    r"\b(?:company|companies|enterprise|enterprises|factory|plant|group|firm|corporation|board|"
    r"general manager|manager|chairman of the board|owner|ceo)\b",
    re.I,
)


# --------------------------------------------------------------------------
# accompanying
# --------------------------------------------------------------------------

_LED_RE = re.compile(
    r"\b(?:led|leading|along with|together with|accompanied by)\s+(?:the\s+)?(?:main\s+|relevant\s+|principal\s+)?"
    r"(?:heads?|leaders?|officials?|persons? in charge|responsible (?:persons|comrades|officials)|principals|"
    r"(?:relevant\s+)?departments?|comrades in charge)\s+(?:of|from)\s+(?P<list>[^.;]{3,600}?)"
    r"(?=\s+(?:to|went|visited|inspected|in|on|for|at)\b|[.;])"
)
_ACCOMPANIED_WORD_RE = re.compile(r"\s+(?:also\s+)?accompanied\s+(?:the|him|them|[A-Z])")
_LIST_SPLIT_RE = re.compile(
    r",\s*(?:and\s+|as well as\s+)?|\s+and\s+(?=(?:the|relevant|heads?|[A-Z][a-z]+ [A-Z]|other)\b)"
    r"|\s+as well as\s+"
)


_GOV_END_RE = re.compile(r"\b(?:" + "|".join(EN_GOV_BODY_WORDS) + r"|Detachment|Brigade|Team|Group|Center|Centre)$")
_HEADS_OF_RE = re.compile(
    r"(?:the\s+)?(?:main\s+|relevant\s+|principal\s+)?(?:heads?|leaders?|officials?|persons? in charge|"
    r"responsible (?:persons|comrades|officials)|comrades in charge)\s+(?:of|from)\s+(?:the\s+)?(?=[A-Z])"
)


def _split_list(text: str, start: int, end: int) -> list[Hit]:
    raw: list[tuple[int, int]] = []
    pos = start
    for m in _LIST_SPLIT_RE.finditer(text, start, end):
        raw.append((pos, m.start()))
        pos = m.end()
    raw.append((pos, end))
    out = []
    for s, e in raw:
        # "Emergency Management Bureau and Liuxi Town": split after a complete body name
        for m in re.finditer(r"\s+and\s+(?=[A-Z])", text[s:e]):
            if _GOV_END_RE.search(text[s : s + m.start()]):
                h = _strip_article(text, s, s + m.start())
                if h:
                    out.append(h)
                s = s + m.end()
                break
        h = _strip_article(text, s, e)
        if h:
            out.append(h)
    return out


def _strip_article(text: str, s: int, e: int) -> Hit | None:
    m = re.match(r"\s*(?:and\s+)?(?:the\s+)?", text[s:e])
    if m:
        s += m.end()
    m = _HEADS_OF_RE.match(text[s:e])
    if m:
        s += m.end()
    h = make_hit(text, s, e)
    if h and text[h.end : h.end + 1] == "." and re.search(r"\b(?:Ltd|Co|Inc|Corp)$", h.text):
        h = Hit(h.start, h.end + 1, text[h.start : h.end + 1])
    return h


def find_accompanying(text: str, names: list[Hit], leader_starts: set[int]) -> list[Hit]:
    out: list[Hit] = []
    for m in _LED_RE.finditer(text):
        out.extend(_split_list(text, m.start("list"), m.end("list")))
    for m in _ACCOMPANIED_WORD_RE.finditer(text):
        e = m.start()
        lo = max(0, e - 300)
        s = max(text.rfind(c, lo, e) for c in ".;:\n")
        s = lo if s < 0 else s + 1
        if e - s < 3:
            continue
        items = _split_list(text, s, e)
        # drop a group label in front of the first name: "Company leaders Li Guoqian"
        fixed = []
        for it in items:
            for n in names:
                if it.start < n.start < it.end and n.end == it.end:
                    it = Hit(n.start, n.end, n.text)
                    break
            if it.start in leader_starts:
                continue
            fixed.append(it)
        if fixed and all(len(x.text.split()) <= 8 for x in fixed):
            out.extend(fixed)
    return out


# --------------------------------------------------------------------------
# organisations and places
# --------------------------------------------------------------------------

_WORD = r"[A-Z][A-Za-z0-9'’&-]*\.?"
_CONNECT = r"(?:of|for|the|and|de|on|&)"
_CAP_PHRASE = rf"{_WORD}(?:\s(?:{_CONNECT}\s)*{_WORD})*(?:\s(?:Co\.,?\s?Ltd\.?|Co\.|Ltd\.?))?"
_LOWER_PLACE = r"(?:district|county|city|zone|village|town|township|street|community|subdistrict|area|park)"
_ITEM = (
    rf"(?:(?:[Tt]he\s+)?(?:(?:{_WORD}\s)*{_WORD}\s{_LOWER_PLACE}\b|"
    rf"(?:high[- ]tech|economic(?: and technological)? development|development|industrial|free trade|bonded)"
    rf"\s(?:zone|area|park)\b|{_CAP_PHRASE}(?:\s{_CONNECT}\s(?:the\s)?{_WORD})*)(?:\s\([^()]{{2,60}}\))?)"
)
_VISIT_OBJ_RE = re.compile(
    r"\b(?:went to|went into|went deep into|came to|arrived at|visited|inspected|toured|walked into|stepped into|"
    r"paid a visit to|dropped by|went on to|headed to|traveled to|travelled to|[Ii]n the|[Aa]t the|investigated|"
    rf"entered|visit to|inspection of|inspection at|trip to)\s+(?P<list>{_ITEM}(?:(?:,\s(?:and\s)?|\sand\s){_ITEM})*)"
)


@functools.lru_cache(maxsize=64)
def _ends_re(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?:^|\s)(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")$")


def _ENDS(text: str, words: tuple[str, ...]) -> bool:  # noqa: N802
    return bool(_ends_re(tuple(words)).search(text))


_STRONG_ORG_RE = re.compile(
    rf"(?:{_WORD}\s)+(?:Co\.,?\s?Ltd\.?|Company|Corporation|Group|Factory|Plant|Foods|Products|Institute|"
    rf"Hospital|Home for the Elderly|Nursing Home|Welfare Home|Pharmaceuticals?|Chemicals?|Industries|Technologies|"
    rf"Technology Co\.,? Ltd\.?)\b\.?"
)
_PLACE_ANYWHERE_RE = re.compile(
    rf"(?:{_WORD}\s)*{_WORD}\s(?:Village|Street|Town|Township|Community|Subdistrict)\b"
    rf"|(?<=\b(?:in|to|at|of) )(?:{_WORD}\s)*{_WORD}\s(?:District|County|New Area|Development Zone|Industrial Park)\b"
)


def _split_items(text: str, s: int, e: int) -> list[Hit]:
    out = []
    pos = s
    for m in re.finditer(r",\s(?:and\s)?|\sand\s", text[s:e]):
        a, b = s + m.start(), s + m.end()
        if text.startswith(("Ltd", "LTD", "Inc", "Co."), b):
            continue
        left = text[pos:a]
        # keep "X and Y Commission" together unless both sides look like names of things
        if m.group(0).strip() == "and":
            right_m = re.match(r"[^,]*", text[b:e])
            right = right_m.group(0) if right_m else ""
            if not (_classify(left.strip()) and _classify(right.strip())):
                continue
        h = _strip_article(text, pos, a)
        if h:
            out.append(h)
        pos = b
    h = _strip_article(text, pos, e)
    if h:
        out.append(h)
    return out


def _classify(item: str) -> str | None:
    """'org', 'place', 'gov' or None."""
    it = re.sub(r"\s*\([^()]*\)$", "", item).strip()
    if not it:
        return None
    if _ENDS(it, EN_GOV_BODY_WORDS):
        return "gov"
    if _ENDS(it, ("Industrial Park", "Economic Development Zone", "New Area")):
        return "place"
    if _ENDS(it, EN_ORG_SUFFIXES) and not _ENDS(it, ("Area",)):
        return "org"
    if _ENDS(it, EN_PLACE_SUFFIXES) or _ENDS(it, tuple(p.lower() for p in EN_PLACE_SUFFIXES)):
        return "place"
    words = it.split()
    if not words[0][:1].isupper():
        return None
    if all(is_pinyin_word(w, 4) for w in words):
        return "place"
    if len(words) <= 5:
        return "org"
    return None


_FACILITY_OBJ_RE = re.compile(
    r"\b(?:went to|went into|went deep into|came to|arrived at|visited|inspected|toured|walked into|stepped into|"
    r"entered|went on to)\s+the\s+(?P<list>[a-z][^.;:!?()]{3,260}?)"
    r"(?=\s+(?:to|for|where|in order)\b|\s+and\s+(?:learned|inspected|checked|talked|conducted|carried|"
    r"listened|asked|visited)\b|[.;:!?]\s|[.;:!?]?$|[.;:!?](?=[A-Z]))"
)
_FACILITY_NOUN_RE = re.compile(
    r"\b(?:workshop|plant|factory|warehouse|site|line|center|centre|room|mine|port|dock|wharf|laboratory|lab|"
    r"project|base|station|team|park|zone|area|community|village|yard|store|market|hall|building|tunnel|"
    r"reservoir|dam|embankment|dike|bridge|checkpoint|kitchen|canteen|dormitory)$"
)
_FACILITY_SPLIT_RE = re.compile(r",\s+(?:and\s+)?(?:the\s+)?|\s+and\s+(?:the\s+)?")


def find_facilities(text: str) -> list[Hit]:
    out: list[Hit] = []
    for m in _FACILITY_OBJ_RE.finditer(text):
        s, e = m.start("list"), m.end("list")
        pos = s
        parts = []
        for sm in _FACILITY_SPLIT_RE.finditer(text, s, e):
            parts.append((pos, sm.start()))
            pos = sm.end()
        parts.append((pos, e))
        for a, b in parts:
            h = make_hit(text, a, b)
            if not h or not _FACILITY_NOUN_RE.search(h.text):
                continue
            first = h.text.split()[0].lower()
            if first.endswith("s") and _FACILITY_NOUN_RE.search(first[:-1]):
                continue  # "workshops and warehouses of ..." is not a named place
            if len(h.text.split()) > 14:
                continue
            out.append(h)
    return out


def find_orgs_places(text: str, names: list[Hit], excluded: list[tuple[int, int]]) -> tuple[list[Hit], list[Hit]]:
    orgs: list[Hit] = []
    places: list[Hit] = []

    def blocked(h: Hit) -> bool:
        if any(s <= h.start < e for s, e in excluded):
            return True
        return any(n.start <= h.start < n.end or h.start <= n.start < h.end for n in names)

    for m in _VISIT_OBJ_RE.finditer(text):
        for it in _split_items(text, m.start("list"), m.end("list")):
            cls = _classify(it.text)
            if cls is None or cls == "gov" or blocked(it):
                continue
            if it.text.lower() in ("company", "enterprise", "the company"):
                continue
            (orgs if cls == "org" else places).append(it)
    for m in _STRONG_ORG_RE.finditer(text):
        h = _strip_article(text, m.start(), m.end())
        if h and not blocked(h) and _classify(h.text) == "org":
            # Ignore phrases that start with a lower-case function word
            orgs.append(h)
    places.extend(find_facilities(text))
    for m in _PLACE_ANYWHERE_RE.finditer(text):
        h = _strip_article(text, m.start(), m.end())
        if h and not blocked(h):
            places.append(h)
    return orgs, places


# --------------------------------------------------------------------------
# dates
# --------------------------------------------------------------------------

_MONTHS = {
    m: i + 1
    for i, ms in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in ms
}
_MONTH_RE = (
    r"(January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_DAYPART = r"(?:(?:the\s+)?(?:early\s+|late\s+)?(?:morning|afternoon|evening|night|noon)\s+of\s+)?"
_DATE_RES = [
    re.compile(_DAYPART + _MONTH_RE + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+((?:19|20)\d{2})\b)?"),
    re.compile(
        _DAYPART + r"(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_RE + r"(?:,?\s+((?:19|20)\d{2})\b)?"
    ),
]


def find_dates(text: str) -> list[tuple[Hit, int | None, int, int]]:
    out = []
    for i, rx in enumerate(_DATE_RES):
        for m in rx.finditer(text):
            if i == 0:
                mon, day, year = m.group(1), m.group(2), m.group(3)
            else:
                day, mon, year = m.group(1), m.group(2), m.group(3)
            month = _MONTHS.get(mon.lower().rstrip("."))
            if month is None:
                continue
            y = int(year) if year else None
            d = int(day)
            if mon == "May" and not re.match(r"\s*\d", text[m.start(1) + 3 : m.start(1) + 5] if i == 0 else " 1"):
                continue
            if not valid_date(y, month, d):
                continue
            s = m.start()
            out.append((Hit(s, m.end(), text[s : m.end()]), y, month, d))
    out.sort(key=lambda x: x[0].start)
    return out


# --------------------------------------------------------------------------
# requirements
# --------------------------------------------------------------------------

_HEAD_RE = re.compile(
    r"(?:^|\b)(?:[A-Z][a-z]+(?: [A-Z][a-z]+)?|He|She|They|The meeting|The conference)\s+"
    r"(?:also\s+|further\s+|repeatedly\s+|then\s+|specifically\s+)?"
    r"(?P<verb>requested|required|demanded|emphasized|emphasised|stressed|pointed out|urged|asked|called on|"
    r"called for|hoped|hopes|encouraged|instructed|ordered|noted|put forward|proposed)\s+(?:that\s+)?"
)
_NECESSARY_RE = re.compile(
    r"^\s*(?:It is (?:necessary|required|essential|important|imperative) to|We (?:should|must|need to|will)|"
    r"All\b[^.]{0,80}\b(?:should|must)\b)"
)
_MODAL_RE = re.compile(
    r"\b(?:should|must|need to|necessary|have to|shall|ensure|strive|required|requirements?|"
    r"it is (?:important|essential))\b",
    re.I,
)


def requirement_sentences(text: str, sentences: list[Sentence], start_at: int) -> list[tuple[int, int]]:
    """(start, end) of requirement content, head phrases removed."""
    out: list[tuple[int, int]] = []
    active_para = -1
    for sent in sentences:
        if sent.start < start_at:
            continue
        s_text = text[sent.start : sent.end]
        m = _HEAD_RE.search(s_text)
        if (
            m
            and m.group("verb") in ("put forward", "proposed")
            and not re.match(r"\s*(?:that|the following)", s_text[m.end() :])
        ):
            m = None
        if m and m.start() < 60:
            content_start = sent.start + m.end()
            if m.group("verb") in ("noted",) and not _MODAL_RE.search(s_text):
                continue
            out.append((content_start, sent.end))
            active_para = sent.para
            continue
        if _NECESSARY_RE.match(s_text):
            out.append((sent.start, sent.end))
            active_para = sent.para
            continue
        if sent.para == active_para and _MODAL_RE.search(s_text):
            out.append((sent.start, sent.end))
            continue
        if sent.para != active_para:
            active_para = -1
    return out
