"""Rules for Chinese visit reports.

All patterns run on the Simplified analysis copy ``ana``; offsets are shared
with the cleaned text, from which strings are sliced as written.
"""

from __future__ import annotations

import functools
import re

from .common import Hit, LeaderHit, Sentence, make_hit, valid_date
from .lexicons import (
    ZH_COMPOUND_SURNAMES,
    ZH_GOV_BODY_SUFFIXES,
    ZH_NAME_FOLLOWERS,
    ZH_ORG_SUFFIXES,
    ZH_PLACE_SUFFIXES,
    ZH_SURNAMES,
    ZH_TITLE_ORG_PREFIX,
    ZH_TITLE_UNITS,
)

_CJK = r"\u4e00-\u9fff"


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _title_chain_re() -> re.Pattern[str]:
    unit = rf"(?:{ZH_TITLE_ORG_PREFIX})?(?:{_alt(ZH_TITLE_UNITS)})"
    surname = rf"(?:{_alt(ZH_COMPOUND_SURNAMES)}|[{''.join(sorted(ZH_SURNAMES))}])"
    return re.compile(rf"(?P<chain>{unit}(?:[、，,]?{unit})*)(?P<name>{surname}[{_CJK}]{{1,3}})")


_FOLLOW_RE = re.compile(rf"(?:{_alt(ZH_NAME_FOLLOWERS)})")
# Leading words that are not part of a title ("带领区应急管理局局长" -> "区应急管理局局长")
_TITLE_LEAD_TRIM = re.compile(
    r"^.*(?:带领|率领|陪同|随同|会同|邀请|召集|听取|看望|慰问|以及|上午|下午|晚上|当天|当日|日|在|由|向|对)"
)


def _name_length(ana: str, start: int, counts: dict[str, int]) -> int:
    """Length of the name starting at ``start`` (2, 3 or 4 characters)."""
    sur = 2 if ana[start : start + 2] in ZH_COMPOUND_SURNAMES else 1
    cands = [n for n in (sur + 2, sur + 1) if start + n <= len(ana)]
    cands = [n for n in cands if all("\u4e00" <= c <= "\u9fff" for c in ana[start : start + n])]
    if not cands:
        return 0
    # a following word that starts right after the name decides
    for n in cands:
        if _FOLLOW_RE.match(ana, start + n):
            # "李强调研": 3 chars leaves "研", 2 chars leaves "调研": prefer the split
            # whose remainder is a follower, trying the longer name first unless the
            # shorter split is a follower too and the longer name is never repeated.
            shorter = n - 1
            if n == sur + 2 and _FOLLOW_RE.match(ana, start + shorter):
                long_c = counts.get(ana[start : start + n], 0)
                short_c = counts.get(ana[start : start + shorter], 0)
                if short_c > long_c:
                    return shorter
            return n
    # fall back on repetition in the text
    best = max(cands, key=lambda n: (counts.get(ana[start : start + n], 0), -n))
    return best


def _count_names(ana: str, starts: list[int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s in starts:
        for n in (2, 3, 4):
            cand = ana[s : s + n]
            if len(cand) == n and cand not in counts:
                counts[cand] = ana.count(cand)
    return counts


def find_leaders(text: str, ana: str, title_end: int) -> list[LeaderHit]:
    rx = _title_chain_re()
    matches = list(rx.finditer(ana))
    acc_ranges = accompanying_segments(ana)
    counts = _count_names(ana, [m.start("name") for m in matches])
    found: list[LeaderHit] = []
    for m in matches:
        ns = m.start("name")
        n = _name_length(ana, ns, counts)
        if not n:
            continue
        cs, ce = m.start("chain"), m.end("chain")
        chain = ana[cs:ce]
        t = _TITLE_LEAD_TRIM.match(chain)
        if t:
            cs += t.end()
        while cs < ce and ana[cs] in "和与及同、，,":
            cs += 1
        if cs >= ce:
            continue
        title = make_hit(text, cs, ce)
        name = Hit(ns, ns + n, text[ns : ns + n])
        # clause context: 陪同 -> accompanying
        clause_end = re.search(r"[，,。；;\n]", ana[ns + n :])
        clause = ana[ns + n : ns + n + (clause_end.start() if clause_end else 30)]
        acc = bool(re.match(r"^(?:等)?(?:陪同|随同)", clause)) or any(a <= ns < b for a, b in acc_ranges)
        found.append(LeaderHit(name, title, "title" if ns < title_end else "body", accompanying=acc))
        # group lists: 市领导张三、李四、王五参加
        if re.search(r"领导$", ana[cs:ce]):
            pos = ns + n
            while pos < len(ana) and ana[pos] == "、":
                k = _name_length(ana, pos + 1, counts) if ana[pos + 1 : pos + 2] in ZH_SURNAMES else 0
                if not k:
                    break
                found.append(LeaderHit(Hit(pos + 1, pos + 1 + k, text[pos + 1 : pos + 1 + k]), title, "body"))
                pos += 1 + k
    return found


# --------------------------------------------------------------------------
# accompanying
# --------------------------------------------------------------------------

_LED_RE = re.compile(
    r"(?:带领|率领|带着|会同)(?P<list>[^，,。；;\n]{2,80}?)(?:一行|等)?"
    r"(?=深入|到|来到|前往|赴|走进|先后|实地|对|就|在|，|,|。)"
)
_ACC_WORD_RE = re.compile(r"(?:等)?(?:陪同|随同)(?P<under>下)?")
_TOGETHER_RE = re.compile(r"(?P<list>[^，,。；;\n]{2,80}?)(?:等)?(?:一同|一起|一道)(?:参加|调研|检查|视察|督导|前往)")
_MAIN_VERB_RE = re.compile(r"带领|率领|深入|走访|来到|前往|调研|视察|检查|督导|察看|查看|走进|看望|慰问")
_SPLIT_SUFFIX_RE = re.compile(
    r"(?:局|委|办|厅|部|中心|公司|厂|集团|医院|同志|负责人|领导|人员|干部|村|镇|乡|街道|社区|区|县)$"
)
_PERSONNEL_RE = re.compile(r"负责|同志|部门|单位|局|委|办|领导|人员|干部|专家|书记|主任|长|镇|乡|街道")


def _split_zh(text: str, s: int, e: int) -> list[Hit]:
    """Split a Chinese list on 、 (and on 和/及/与/以及 after a complete item)."""
    out = []
    pos = s
    for m in re.finditer(r"、|以及|和|及|与", text[s:e]):
        a, b = s + m.start(), s + m.end()
        if m.group(0) != "、" and not _SPLIT_SUFFIX_RE.search(text[pos:a]):
            continue
        h = make_hit(text, pos, a)
        if h:
            out.append(h)
        pos = b
    h = make_hit(text, pos, e)
    if h:
        out.append(h)
    return out


def accompanying_segments(ana: str) -> list[tuple[int, int]]:
    """Stretches of text that list people/departments who came along (陪同/随同)."""
    out = []
    for m in _ACC_WORD_RE.finditer(ana):
        b = m.start()
        sent_start = max(ana.rfind(c, 0, b) for c in "。；;！!\n") + 1
        seg = ana[sent_start:b]
        if m.group("under"):
            k = seg.rfind("在")
            if k >= 0:
                out.append((sent_start + k + 1, b))
            continue
        # if the sentence has the main visit clause, keep only the clauses after it
        cut = 0
        for vm in _MAIN_VERB_RE.finditer(seg):
            c = seg.find("，", vm.end())
            c2 = seg.find(",", vm.end())
            c = min(x for x in (c, c2, len(seg)) if x >= 0)
            cut = max(cut, c + 1 if c < len(seg) else cut)
        out.append((sent_start + cut, b))
    return out


def find_accompanying(
    text: str, ana: str, leader_spans: list[tuple[int, int]], acc_people: list[Hit] | None = None
) -> list[Hit]:
    out: list[Hit] = []
    people = acc_people or []

    def covered(h: Hit) -> bool:
        return any(s < h.end and h.start < e for s, e in leader_spans)

    ranges: list[tuple[int, int]] = []
    for m in _LED_RE.finditer(ana):
        ranges.append((m.start("list"), m.end("list")))
    ranges.extend(accompanying_segments(ana))
    for m in _TOGETHER_RE.finditer(ana):
        ranges.append((m.start("list"), m.end("list")))
    for s, e in ranges:
        seg = ana[s:e]
        cut = max((seg.rfind(w) + len(w) for w in ("上午", "下午", "当天", "当日", "期间") if w in seg), default=0)
        s += cut
        # clause by clause; a titled person stays whole ("县委常委、常务副县长郭志强")
        pos = s
        for cm in list(re.finditer(r"[，,]", ana[s:e])) + [None]:
            ce = s + cm.start() if cm else e
            inside = [p for p in people if pos <= p.start and p.end <= ce]
            if inside:
                out.extend(inside)
            else:
                for h in _split_zh(ana, pos, ce):
                    h = make_hit(text, h.start, h.end)
                    if not h or covered(h) or len(h.text) < 2:
                        continue
                    if _PERSONNEL_RE.search(ana[h.start : h.end]):
                        out.append(h)
            pos = ce + 1
    return out


# --------------------------------------------------------------------------
# organisations and places
# --------------------------------------------------------------------------

_VISIT_OBJ_RE = re.compile(
    r"(?:先后)?(?:走进|来到|深入到|深入|前往|赴|到|走访|察看了?|视察了?|考察了?|检查了?|调研了?|实地查看了?|"
    r"实地察看了?|实地调研了?|看望了?|慰问了?|莅临|进入)"
    r"(?P<list>[^，,。；;！!？?\n（(]{2,120}?)"
    r"(?=(?:等)?(?:企业|单位|地|处|家|场所|项目|点位)?(?:，|,|。|；|;|调研|检查|督导|督查|视察|考察|察看|查看|实地|"
    r"指导|走访|看望|慰问|了解|详细|听取|现场|进行|开展|，|$))"
)
_ORG_SUFFIX_RE = re.compile(rf"(?:{_alt(ZH_ORG_SUFFIXES)})$")
_PLACE_SUFFIX_RE = re.compile(rf"(?:{_alt(ZH_PLACE_SUFFIXES)})$")
_GOV_SUFFIX_RE = re.compile(rf"(?:{_alt(ZH_GOV_BODY_SUFFIXES)})$")
_GENERIC_RE = re.compile(
    r"^(?:部分|有关|相关|各|多家|重点|一线|辖区|全市|全区|全县|企业|公司|工厂|现场|基层)?"
    r"(?:企业|单位|公司|工厂|车间|现场|项目|场所|一线|生产车间|部分企业|重点企业)$"
)
_ITEM_TRIM_LEAD = re.compile(r"(?:了|到|至|在|位于|辖区|部分|区内|当地|正在)+")
_ITEM_TRIM_TAIL = re.compile(r"(?:部分企业|部分单位|等企业|等单位|等地|等处|等)$")


def find_orgs_places(text: str, ana: str) -> tuple[list[Hit], list[Hit]]:
    orgs: list[Hit] = []
    places: list[Hit] = []
    for m in _VISIT_OBJ_RE.finditer(ana):
        s, e = m.start("list"), m.end("list")
        after = ana[e : e + 4]
        list_is_enterprises = bool(re.match(r"(?:等)?(?:企业|单位|公司)", after))
        items = _split_zh(ana, s, e)
        for it in items:
            a, b = it.start, it.end
            lead = _ITEM_TRIM_LEAD.match(ana, a, b)
            if lead:
                a = lead.end()
            seg = ana[a:b]
            tail = _ITEM_TRIM_TAIL.search(seg)
            if tail:
                b = a + tail.start()
                list_is_enterprises = True
            seg = ana[a:b]
            qual = re.search(r"(?:部分|多家|重点|有关|相关|一些|几家|各|辖区)$", seg)
            if qual and qual.start() >= 2:
                b = a + qual.start()
                seg = ana[a:b]
            # "高新区部分企业" -> place 高新区
            sub = re.match(r"(.+?(?:区|县|镇|乡|村|街道|园区|社区))(?:部分|多家|重点|有关|相关)?(?:企业|单位)$", seg)
            if sub:
                b = a + len(sub.group(1))
                seg = sub.group(1)
            if len(seg) < 2 or _GENERIC_RE.match(seg):
                continue
            if re.search(r"[\d%]", seg) or len(seg) > 30:
                continue
            h = make_hit(text, a, b)
            if not h:
                continue
            if _GOV_SUFFIX_RE.search(seg) and not _ORG_SUFFIX_RE.search(seg):
                continue
            if _ORG_SUFFIX_RE.search(seg) and not re.search(r"(?:区|县|镇|乡|村|街道)$", seg):
                orgs.append(h)
            elif _PLACE_SUFFIX_RE.search(seg):
                places.append(h)
            elif list_is_enterprises and len(seg) >= 3:
                orgs.append(h)
    return orgs, places


# --------------------------------------------------------------------------
# dates
# --------------------------------------------------------------------------

_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "〇": 0, "零": 0}


def _cn_int(s: str) -> int | None:
    if s.isdecimal():
        return int(s)
    if not s or any(c not in _CN_NUM for c in s):
        return None
    if s == "十":
        return 10
    if "十" in s:
        a, _, b = s.partition("十")
        return (_CN_NUM[a] if a else 1) * 10 + (_CN_NUM[b] if b else 0)
    return _CN_NUM[s]


_ZH_DATE_RE = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]"
    r"(?P<part>上午|下午|晚上|晚间|傍晚|中午|早上|早晨|凌晨|夜间)?"
)


def find_dates(text: str, ana: str) -> list[tuple[Hit, int | None, int, int]]:
    out = []
    for m in _ZH_DATE_RE.finditer(ana):
        y = int(m.group("y")) if m.group("y") else None
        mo = _cn_int(m.group("m"))
        d = _cn_int(m.group("d"))
        if mo is None or d is None or not valid_date(y, mo, d):
            continue
        out.append((Hit(m.start(), m.end(), text[m.start() : m.end()]), y, mo, d))
    return out


# --------------------------------------------------------------------------
# requirements
# --------------------------------------------------------------------------

_HEAD_RE = re.compile(
    r"(?:[他她]|[\u4e00-\u9fff]{2,4})?(?:还|也|同时|再次|进一步|最后|特别)?"
    r"(?:强调|指出|要求|希望|叮嘱|嘱咐|督促|提醒|寄语|提出要求|提出)"
    r"(?:说|道)?[，,:：]?"
)
_MODAL_RE = re.compile(r"要|必须|务必|应当|应该|需要|确保|切实|坚决|全力|力争|严格|加强|抓好|做好")
_NOT_HEAD_BEFORE = re.compile(r"(?:的|按照|根据|落实|贯彻|部署|精神|上级|工作)$")


def requirement_sentences(ana: str, sentences: list[Sentence], start_at: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    active_para = -1
    for sent in sentences:
        if sent.start < start_at:
            continue
        s_text = ana[sent.start : sent.end]
        m = None
        for cand in _HEAD_RE.finditer(s_text):
            verb_start = cand.start()
            if _NOT_HEAD_BEFORE.search(s_text[:verb_start]):
                continue
            tail = s_text[cand.end() :]
            # "要求" used as a noun ("落实要求") is not a head
            if cand.group(0).endswith("要求") and re.match(r"^(?:和|与|及|的|，|。)", tail):
                continue
            if len(tail.strip(" ，,。")) < 6:
                continue
            m = cand
            break
        if m is not None:
            out.append((sent.start + m.end(), sent.end))
            active_para = sent.para
            continue
        if sent.para == active_para and _MODAL_RE.search(s_text):
            out.append((sent.start, sent.end))
            continue
        if sent.para != active_para:
            active_para = -1
    return out
