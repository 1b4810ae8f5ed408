"""Text normalisation, repairs and web-page boilerplate stripping.

Everything here works on plain text and returns plain text; the *cleaned*
text is what span offsets refer to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicons import ZH_INDUSTRY_TERMS
from .script import t2s_table, to_traditional_chars

# --------------------------------------------------------------------------
# normalisation
# --------------------------------------------------------------------------

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = {ord(c): " " for c in "\u00a0\u3000\u2002\u2003\u2009\u202f\t\x0b\x0c"}
# Fullwidth digits and Latin letters -> ASCII (punctuation is kept as written).
_FULLWIDTH = {
    cp: chr(cp - 0xFEE0)
    for cp in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))
}
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_ZERO_WIDTH).translate(_SPACES).translate(_FULLWIDTH)
    text = _CONTROL_RE.sub("", text)
    text = re.sub(r"[ ]{2,}", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


# --------------------------------------------------------------------------
# pinyin annotations spliced into characters:  區(qū) -> 區
# --------------------------------------------------------------------------

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_ANN_RE = re.compile(r"(?<=[\u3400-\u9fff])[(（]([a-zü" + _TONED + r"]{1,7})[)）]")


def repair_pinyin_annotations(text: str) -> str:
    matches = list(_PINYIN_ANN_RE.finditer(text))
    if not matches:
        return text
    toned = sum(1 for m in matches if any(c in _TONED for c in m.group(1)))
    if toned == 0:
        return text
    allow_toneless = toned >= 3

    def repl(m: re.Match[str]) -> str:
        syl = m.group(1)
        if any(c in _TONED for c in syl):
            return ""
        if allow_toneless and _is_toneless_syllable(syl):
            return ""
        return m.group(0)

    return _PINYIN_ANN_RE.sub(repl, text)


def _is_toneless_syllable(syl: str) -> bool:
    from .lexicons import PINYIN_SYLLABLES

    return syl.replace("ü", "v") in PINYIN_SYLLABLES


# --------------------------------------------------------------------------
# GBK byte-shift mojibake:  "環??萍肌⒑幽仙衅肥称?" -> "環??技、河南尚品食?"
# --------------------------------------------------------------------------
#
# Some pages were GBK text whose byte stream lost one byte and was decoded
# again, so every following character is built from the second byte of one
# character and the first byte of the next; undecodable bytes became "?".
# Re-encoding the garbled run as GBK and decoding it shifted by one byte gives
# the original characters back, except those whose bytes were lost (they stay
# "?").  The repair is accepted only when the shifted decoding is clean
# (common GB2312 level-1 characters and list punctuation) while the garbled
# run is not.  Remaining "?" holes are then filled from a small lexicon of
# industry words when exactly one word fits (環??技 -> 環保科技); otherwise
# they are kept as written.

_MOJIBAKE_RUN_RE = re.compile(r"\?{1,3}([^\x00-\x7f\s]{3,60}?)(?=\?)")


def _is_level1(ch: str) -> bool:
    if ch in "、，。；：":
        return True
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xB0 <= b[0] <= 0xD7


def repair_gbk_mojibake(text: str) -> str:
    if "?" not in text:
        return text

    def repl(m: re.Match[str]) -> str:
        run = m.group(1)
        try:
            raw = run.encode("gbk")
        except UnicodeEncodeError:
            return m.group(0)
        shifted = raw[1:]
        if len(shifted) % 2:
            shifted = shifted[:-1]
        try:
            fixed = shifted.decode("gbk")
        except UnicodeDecodeError:
            return m.group(0)
        if not fixed or not all(_is_level1(c) for c in fixed):
            return m.group(0)
        if all(_is_level1(c) for c in run):
            return m.group(0)  # the run was readable already
        lead = m.group(0)[: len(m.group(0)) - len(run)]
        return lead + fixed

    repaired = _MOJIBAKE_RUN_RE.sub(repl, text)
    if repaired != text:
        repaired = _fill_holes(repaired)
    return repaired


_HOLE_RE = re.compile(r"\?+")


def _fill_holes(text: str) -> str:
    simple = text.translate(t2s_table())
    traditional = simple != text
    out = []
    last = 0
    for m in _HOLE_RE.finditer(text):
        s, e = m.start(), m.end()
        n = e - s
        if s == 0 or not ("\u4e00" <= text[s - 1] <= "\u9fff" or (e < len(text) and "\u4e00" <= text[e] <= "\u9fff")):
            continue
        fills = set()
        for term in ZH_INDUSTRY_TERMS:
            if len(term) <= n:
                continue
            # align the term so that it covers the whole hole
            for off in range(0, len(term) - n + 1):
                left = term[:off]
                right = term[off + n :]
                if left and simple[s - len(left) : s] != left:
                    continue
                if right and simple[e : e + len(right)] != right:
                    continue
                if not left and not right:
                    continue
                fills.add(term[off : off + n])
        if len(fills) == 1:
            fill = fills.pop()
            if traditional:
                fill = to_traditional_chars(fill)
            out.append(text[last:s])
            out.append(fill)
            last = e
    out.append(text[last:])
    return "".join(out)


# --------------------------------------------------------------------------
# boilerplate
# --------------------------------------------------------------------------

# Lines that are dropped (matched on the Simplified, lower-cased line).
_DROP_LINE_RES = [
    re.compile(p, re.I)
    for p in (
        r"^(current location|your location|you are here|location)\s*[:：]",
        r"^(当前位置|您的位置|您现在的位置|所在位置|现在位置)",
        r"^home( page)?\s*[»>›/|]",
        r"^首页\s*[>»›/|]",
        r"^(home|首页)$",
        r"^see also\b",
        r"^(related|recommended) (articles?|news|posts?|reading)\b",
        r"^\[?\s*(editor|editor in charge|responsible editor|edited by)\s*[:：]",
        r"^\[?\s*(责任编辑|编辑|审核|校对|监制|作者|来源|供稿|通讯员|摄影|图片)\s*[:：]",
        r"^by [\w .'-]{1,30}$",
        r"^(print|share|close|back to top|top|返回顶部|打印|关闭|分享到?|收藏|字号|【字体】)\b",
        r"^\s*[-–—•·|_=*]+\s*$",
        r"(icp备|icp证|公网安备|网安备|ICP\s*\d)",
        r"(copyright|©|版权所有|all rights reserved)",
        r"^produced by\b",
        r"^(powered by|designed by|技术支持|主办单位|承办单位|网站标识码|网站地图|联系我们|关于我们)",
        r"(sitemap|contact us|about us|privacy (policy|&)|cookie)",
        r"^(this site uses akismet|this website uses cookies)",
        r"^摘要\s*[:：]",
        r"^(the )?(release|publish(ed)?|post(ed)?) (date|time)\s*[:：]",
        r"^(发布时间|发布日期|发表时间|时间|日期|来源|浏览次数|点击数|阅读)\s*[:：]",
        r"(viewed|views|font)\s*:\s*(time|\[)",
        r"^\[?(big|大)\s*(middle|中)\s*(small|小)\]?$",
        r"^(上一篇|下一篇|上一条|下一条|previous|next)\s*[:：]",
        r"^(查看心情排行|你看到此篇文章的感受)",
        r"^(briefing of this website|网站简介)",
    )
]

# Markers after which the rest of the page is boilerplate.
_TAIL_MARKER_RES = [
    re.compile(p, re.I)
    for p in (
        r"^link to this article",
        r"^reprint statement",
        r"^bookmark the permalink",
        r"^comments are closed",
        r"^you may also like",
        r"^leave a (comment|reply)",
        r"^(related|more) (articles|news|stories|posts)\s*$",
        r"^(版权声明|免责声明|转载声明)",
        r"^查看心情排行",
        r"^(相关新闻|相关阅读|相关文章|推荐阅读|延伸阅读|热点推荐|猜你喜欢|精彩推荐|相关链接)",
        r"^\[?\s*(责任编辑|编辑)\s*[:：]",
        r"^\[?\s*(editor in charge|responsible editor)\s*[:：]",
        r"^(share this|share on|tags?)\s*[:：]",
        r"^(post navigation|previous post|next post)\b",
    )
]

_PUB_DATE_RE = re.compile(
    r"(?:release|publish(?:ed)?|post(?:ed)?|发布|发表|更新|日期|时间)[^\n\d]{0,12}?((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})",
    re.I,
)
_BARE_ISO_RE = re.compile(
    r"^[^\n]{0,40}?((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?[^\n]{0,60}$"
)

_SENT_END = '。！？!?.…”"’)）'


@dataclass
class Cleaned:
    text: str  # cleaned text (span offsets refer to it)
    publication_date: tuple[int, int, int] | None
    removed_lines: int


def _simple_lower(line: str) -> str:
    return line.translate(t2s_table()).lower().strip()


def strip_boilerplate(text: str) -> Cleaned:
    lines = text.split("\n")
    pub: tuple[int, int, int] | None = None
    kept: list[str] = []
    removed = 0
    total_chars = sum(len(x) for x in lines) or 1
    seen_chars = 0
    tail_cut = False
    kept_chars = 0
    for raw_line in lines:
        line = raw_line.strip()
        seen_chars += len(raw_line)
        if not line:
            kept.append("")
            continue
        low = _simple_lower(line)
        if pub is None and len(line) < 200:
            m = _PUB_DATE_RE.search(low) or (_BARE_ISO_RE.match(low) if len(kept) < 12 else None)
            if m:
                try:
                    pub = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    pub = None
                if pub and not (1 <= pub[1] <= 12 and 1 <= pub[2] <= 31):
                    pub = None
                if pub and len(line) < 120:
                    removed += 1
                    continue
        if any(r.search(low) for r in _TAIL_MARKER_RES) and (kept_chars >= 200 or seen_chars > 0.5 * total_chars):
            tail_cut = True
            break
        if len(line) < 300 and any(r.search(low) for r in _DROP_LINE_RES):
            removed += 1
            continue
        kept.append(line)
        kept_chars += len(line)

    if tail_cut:
        removed += sum(1 for x in lines if x.strip()) - sum(1 for k in kept if k) - removed
    kept = _drop_trailing_headlines(kept)
    kept = _dedupe_title(kept)
    out = "\n".join(kept)
    out = re.sub(r"\n{3,}", "\n\n", out).strip()
    return Cleaned(out, pub, removed)


def _is_short_headline(line: str) -> bool:
    if not line:
        return True
    if re.fullmatch(r"[-–—•·|_=*\s]+", line):
        return True
    cjk = sum(1 for c in line if "\u4e00" <= c <= "\u9fff")
    limit = 60 if cjk > len(line) / 3 else 160
    return len(line) <= limit and line[-1] not in _SENT_END


def _drop_trailing_headlines(lines: list[str]) -> list[str]:
    """Drop a run of short headline-like lines at the very end of the page."""
    end = len(lines)
    run = 0
    while end > 0 and _is_short_headline(lines[end - 1]):
        end -= 1
        if lines[end]:
            run += 1
    # Only treat as a headline list when there are several of them, or when
    # they are separated by bullets; keep at least something.
    if run >= 2 and end > 0:
        return lines[:end]
    return lines


def _dedupe_title(lines: list[str]) -> list[str]:
    nonempty = [i for i, x in enumerate(lines) if x]
    if len(nonempty) >= 2:
        a, b = lines[nonempty[0]], lines[nonempty[1]]
        if a == b:
            lines = lines[: nonempty[0]] + lines[nonempty[0] + 1 :]
    return lines


def clean(text: str) -> Cleaned:
    text = normalise(text)
    text = repair_pinyin_annotations(text)
    text = repair_gbk_mojibake(text)
    return strip_boilerplate(text)
