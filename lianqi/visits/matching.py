"""Names in a report → records: organisations to the enterprise registry, leaders to accounts,
accompanying officials to departments. Fuzzy (RapidFuzz), with the score kept so the review page
can show how sure the match is. Only records the user may see are candidates."""

from __future__ import annotations

import re
from functools import lru_cache

from django.db.models import Q
from rapidfuzz import fuzz

from .extractor.script import to_simplified

#: A match at or above this score is proposed as chosen; below it the office decides.
AUTO_MATCH = 85.0
#: Candidates below this score are not shown at all.
MIN_SCORE = 55.0
MAX_CANDIDATES = 300

_LEGAL_SUFFIXES = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团公司|集团|公司|分公司|厂|"
    r"\b(?:co\.?,?\s*ltd\.?|company\s+limited|limited|ltd\.?|inc\.?|corp(?:oration)?\.?|group|company|co\.))\s*$",
    re.I,
)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[A-Za-z]{3,}")
_STOP_WORDS = {"the", "and", "for", "home", "district", "city", "county", "company", "group", "limited", "factory"}


def has_han(text: str) -> bool:
    return bool(_HAN.search(text or ""))


def normalise(name: str) -> str:
    """Simplified script, no spaces or punctuation, legal-form suffixes dropped, lower case."""
    text = to_simplified(name or "").strip()
    for _ in range(2):
        text = _LEGAL_SUFFIXES.sub("", text).strip(" ,.，")
    return re.sub(r"[\s\W_]+", "", text).lower()


@lru_cache(maxsize=20000)
def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text, errors="ignore")).lower()


_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|uan|ian|iao|uai|ai|ei|ao|ou|an|en|in|un|ia|ie|ua|uo|ue|ui|iu|er|a|o|e|i|u|v)"
)
# English words of translated organisation names and the Chinese they stand for.
_GENERIC = {
    "food": "食品", "foods": "食品", "aquatic": "水产", "chemical": "化工", "chemicals": "化工",
    "machinery": "机械", "pharmaceutical": "制药", "pharma": "制药", "materials": "材料", "material": "材料",
    "technology": "科技", "textile": "纺织", "textiles": "纺织", "steel": "钢", "electric": "电", "elderly": "养",
    "welfare": "福利", "hospital": "医院", "school": "学校", "plant": "厂", "factory": "厂", "logistics": "物流",
}  # fmt: skip


def pinyin_syllables(word: str) -> list[str] | None:
    """``guanhai`` → ["guan", "hai"]; None when the word does not read as pinyin."""
    word, out, i = word.lower(), [], 0
    while i < len(word):
        m = _SYLLABLE.match(word, i)
        if not m:
            return None
        out.append(m.group())
        i = m.end()
    return out


def _pinyin_core(latin: str) -> tuple[str, list[str]]:
    """The words of a Latin name that read as pinyin (the transliterated proper name) and the
    other words (translated generic words: Foods, Chemical …)."""
    core, generic = [], []
    for word in _WORD.findall(latin):
        if word.lower() not in _GENERIC and word.lower() not in _STOP_WORDS and pinyin_syllables(word):
            core.append(word.lower())
        else:
            generic.append(word.lower())
    return "".join(core), generic


def score(a: str, b: str) -> float:
    """0–100: how alike two organisation names are (script, spaces and legal form ignored).
    A Latin name is also compared with the pinyin of a Chinese one (Guanhai Foods ~ 观海食品):
    its pinyin words against the pinyin, its generic words (Foods → 食品) against the characters."""
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return 0.0
    best = fuzz.WRatio(na, nb)
    if has_han(a) != has_han(b):
        latin, han = (a, nb) if has_han(b) else (b, na)
        core, generic = _pinyin_core(latin)
        if len(core) >= 4:
            reading = _pinyin(han)
            c = fuzz.ratio(core, reading[: len(core)])
            known = [_GENERIC[w] for w in generic if w in _GENERIC]
            g = 100 if not known or any(k in han for k in known) else 0
            best = max(best, 0.95 * (0.85 * c + 0.15 * g))
    return round(float(best), 1)


# --- Organisations → enterprises -------------------------------------------------------------
def _org_condition(names: list[str]) -> Q | None:
    conditions = []
    for name in names:
        core = normalise(name)
        if has_han(core):
            grams = {core[i : i + 2] for i in range(max(1, len(core) - 1))}
            conditions += [Q(name__contains=g) for g in sorted(grams)[:8]]
        else:
            for word in _WORD.findall(name):
                if word.lower() not in _STOP_WORDS:
                    conditions.append(Q(name__icontains=word))
            core, _generic = _pinyin_core(name)
            syllables = pinyin_syllables(core) if core else None
            if syllables and len(syllables) >= 2:
                conditions.append(Q(name_initials__startswith="".join(s[0] for s in syllables)))
    if not conditions:
        return None
    q = conditions[0]
    for c in conditions[1:]:
        q |= c
    return q


def match_organisations(names: list[str], user) -> list[dict]:
    """For each name: ``{"name", "enterprise", "enterprise_name", "score", "candidates": [...]}``;
    ``enterprise`` is the best candidate when its score reaches :data:`AUTO_MATCH`. One query."""
    from lianqi.enterprises.models import Enterprise

    condition = _org_condition(names)
    pool = []
    if condition is not None:
        pool = list(
            Enterprise.objects.visible_to(user).active().filter(condition).values("pk", "name")[:MAX_CANDIDATES]
        )
    out = []
    for name in names:
        ranked = sorted(
            ({"id": e["pk"], "name": e["name"], "score": score(name, e["name"])} for e in pool),
            key=lambda c: (-c["score"], c["name"]),
        )
        candidates = [c for c in ranked if c["score"] >= MIN_SCORE][:3]
        best = candidates[0] if candidates and candidates[0]["score"] >= AUTO_MATCH else None
        out.append(
            {
                "name": name,
                "enterprise": best["id"] if best else None,
                "enterprise_name": best["name"] if best else "",
                "score": best["score"] if best else (candidates[0]["score"] if candidates else None),
                "candidates": candidates,
            }
        )
    return out


# --- Leaders → accounts ----------------------------------------------------------------------
def _person_key(name: str) -> str:
    name = to_simplified(name or "")
    if has_han(name):
        return re.sub(r"\s+", "", name)
    return re.sub(r"[^a-z]", "", name.lower())


def _person_score(written: str, user_name: str) -> float:
    a, b = _person_key(written), _person_key(user_name)
    if not a or not b:
        return 0.0
    if has_han(a) != has_han(b):
        a, b = (a, _pinyin(b)) if has_han(b) else (_pinyin(a), b)
    return round(float(fuzz.ratio(a, b)), 1)


def leader_pool(user) -> list[dict]:
    """Leaders the user may see: id, display name and their title (市长, 区长…)."""
    from lianqi.accounts.choices import Role
    from lianqi.accounts.models import Membership, User

    people = list(
        User.objects.visible_to(user)
        .filter(is_active=True, memberships__role=Role.LEADER)
        .values("pk", "display_name", "first_name", "last_name", "username")
    )
    titles = dict(
        Membership.objects.current()
        .filter(role=Role.LEADER, user__in=[p["pk"] for p in people])
        .exclude(title="")
        .values_list("user", "title")
    )
    return [
        {
            "id": p["pk"],
            "name": p["display_name"] or f"{p['last_name']}{p['first_name']}".strip() or p["username"],
            "title": titles.get(p["pk"], ""),
        }
        for p in people
    ]


def match_leaders(leaders: list[dict], user, pool: list[dict] | None = None) -> list[dict]:
    pool = leader_pool(user) if pool is None else pool
    out = []
    for leader in leaders:
        ranked = sorted(
            ({**p, "score": _person_score(leader.get("name") or "", p["name"])} for p in pool),
            key=lambda c: -c["score"],
        )
        best = ranked[0] if ranked and ranked[0]["score"] >= AUTO_MATCH else None
        out.append(
            {
                "name": leader.get("name") or "",
                "title": leader.get("title") or "",
                "user": best["id"] if best else None,
                "user_name": best["name"] if best else "",
                "score": best["score"] if best else None,
            }
        )
    return out


# --- Accompanying → departments --------------------------------------------------------------
_DEPT_HINT = re.compile(
    r"(局|委|办|厅|处|中心|队|院|所|站|Bureau|Commission|Office|Department|Administration|Committee|Center|Centre)",
    re.I,
)


def department_pool(user) -> list[dict]:
    from lianqi.departments.models import Department

    return list(
        Department.objects.visible_to(user).filter(is_active=True).values("pk", "name_zh", "name_en", "short_name")
    )


def match_departments(texts: list[str], user, pool: list[dict] | None = None) -> list[dict]:
    """For each accompanying item that reads like a department: the best department (score ≥ 80)."""
    pool = department_pool(user) if pool is None else pool
    out = []
    for text in texts:
        if not _DEPT_HINT.search(text or ""):
            out.append({"text": text, "department": None, "department_name": "", "score": None})
            continue
        written = to_simplified(text)
        best, best_score = None, 0.0
        for d in pool:
            for name in (d["name_zh"], d["name_en"], d["short_name"]):
                if not name:
                    continue
                s = (
                    fuzz.token_set_ratio(written.lower(), name.lower())
                    if not has_han(name)
                    else fuzz.WRatio(written, name)
                )
                if s > best_score:
                    best, best_score = d, s
        ok = best is not None and best_score >= 80
        out.append(
            {
                "text": text,
                "department": best["pk"] if ok else None,
                "department_name": (best["name_zh"] if ok else ""),
                "score": round(float(best_score), 1) if ok else None,
            }
        )
    return out
