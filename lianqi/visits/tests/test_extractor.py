"""Tests for lianqi.visits.extractor (plain pytest, no Django needed)."""

from __future__ import annotations

import io
import json
import os
import re
import time
import zipfile
from pathlib import Path

import pytest

from lianqi.visits.extractor import (
    RECORD_KEYS,
    TOPICS,
    ExtractionError,
    NoVisitFound,
    UnreadableInput,
    extract,
    extract_bytes,
    extract_bytes_with_spans,
    extract_with_spans,
)

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "visit_reports"
LABELS = HERE / "labels"
CASES = sorted(p.stem for p in LABELS.glob("*.json"))


def _load(stem: str) -> tuple[str, dict]:
    text = (FIXTURES / f"{stem}.txt").read_text(encoding="utf-8")
    gold = json.loads((LABELS / f"{stem}.json").read_text(encoding="utf-8"))
    return text, gold


def _norm(s: str) -> str:
    """Lower-case, unify quotes/punctuation width, drop spaces: for faithfulness checks."""
    table = str.maketrans(
        {"，": ",", "；": ";", "：": ":", "（": "(", "）": ")", "’": "'", "‘": "'", "“": '"', "”": '"', "。": "."}
    )
    return re.sub(r"\s+", "", s.translate(table).lower())


def _keywords(s: str) -> list[str]:
    """Content words (English) or character bigrams (Chinese)."""
    if re.search(r"[\u4e00-\u9fff]", s):
        chars = [c for c in s if "\u4e00" <= c <= "\u9fff"]
        return ["".join(chars[i : i + 2]) for i in range(len(chars) - 1)]
    stop = {
        "the",
        "a",
        "an",
        "and",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "that",
        "it",
        "is",
        "be",
        "their",
        "its",
        "by",
        "as",
        "at",
        "all",
        "should",
        "must",
    }
    return [w for w in re.findall(r"[a-z0-9]+", s.lower()) if w not in stop]


def test_fixtures_are_copied():
    assert len(list(FIXTURES.glob("00*.txt"))) == 5
    assert len(CASES) >= 9


@pytest.mark.parametrize("stem", CASES)
def test_record_shape(stem):
    text, _gold = _load(stem)
    rec = extract(text)
    assert tuple(rec) == RECORD_KEYS
    assert set(rec["date"]) == {"as_written", "iso", "year", "month", "day"}
    assert rec["language"] in ("zh", "en")
    assert rec["topics"] and set(rec["topics"]) <= set(TOPICS)
    for leader in rec["leaders"]:
        assert set(leader) == {"name", "title"}


@pytest.mark.parametrize("stem", CASES)
def test_title_language_date(stem):
    text, gold = _load(stem)
    rec = extract(text)
    assert rec["title"] == gold["title"]
    assert rec["language"] == gold["language"]
    assert rec["date"] == gold["date"]


@pytest.mark.parametrize("stem", CASES)
def test_leaders_exact(stem):
    text, gold = _load(stem)
    rec = extract(text)
    assert rec["leaders"] == gold["leaders"]  # names, titles and order (principal first)


@pytest.mark.parametrize("stem", CASES)
def test_organizations_exact(stem):
    text, gold = _load(stem)
    rec = extract(text)
    assert sorted(rec["organizations_visited"]) == sorted(gold["organizations_visited"])


@pytest.mark.parametrize("stem", CASES)
def test_accompanying(stem):
    text, gold = _load(stem)
    rec = extract(text)
    assert sorted(rec["accompanying"]) == sorted(gold["accompanying"])


@pytest.mark.parametrize("stem", CASES)
def test_places_recall(stem):
    text, gold = _load(stem)
    rec = extract(text)
    got = [_norm(p) for p in rec["places"]]
    for place in gold["places"]:
        g = _norm(place)
        assert any(g in p or p in g for p in got), (place, rec["places"])
    # nothing that is not in the text
    for p in rec["places"]:
        assert p in text or p in extract_with_spans(text).text


@pytest.mark.parametrize("stem", CASES)
def test_topics(stem):
    text, gold = _load(stem)
    rec = extract(text)
    allowed = set(gold["topics"]) | set(gold.get("_topics_optional", []))
    assert set(gold["topics"]) <= set(rec["topics"]) <= allowed, rec["topics"]


@pytest.mark.parametrize("stem", CASES)
def test_requirements_faithful_and_cover_gold(stem):
    text, gold = _load(stem)
    result = extract_with_spans(text)
    reqs = result.record["requirements"]
    assert reqs
    source = _norm(result.text)
    for item in reqs:
        assert len(item) <= 320
        # each item is the source's own words (only the first letter may be capitalised)
        assert _norm(item) in source, item
    joined = " ".join(reqs)
    for g in gold["requirements"]:
        kws = _keywords(g)
        present = sum(1 for k in kws if k in _norm(joined) or k in joined.lower())
        assert present >= 0.8 * len(kws), (g, reqs)


@pytest.mark.parametrize("stem", CASES)
def test_spans_point_into_cleaned_text(stem):
    text, _gold = _load(stem)
    rec, spans, cleaned = extract_with_spans(text)
    assert spans
    for sp in spans:
        assert cleaned[sp["start"] : sp["end"]] == sp["text"]
    names = {sp["text"] for sp in spans if sp["field"] == "leaders.name"}
    assert {leader["name"] for leader in rec["leaders"]} <= names
    orgs = {sp["text"] for sp in spans if sp["field"] == "organizations_visited"}
    assert set(rec["organizations_visited"]) == orgs
    if rec["date"]["as_written"]:
        assert any(sp["field"] == "date" and sp["text"] == rec["date"]["as_written"] for sp in spans)


def test_boilerplate_is_removed():
    for stem in CASES:
        text, _ = _load(stem)
        cleaned = extract_with_spans(text).text
        for noise in (
            "Link to this article",
            "Reprint Statement",
            "Bookmark the permalink",
            "Comments are closed",
            "See also",
            "You may also like",
            "Leave a Comment",
            "Akismet",
            "cookies",
            "All Rights Reserved",
            "版權聲明",
            "責任編輯",
            "查看心情排行",
            "公網安備",
            "Produced By",
            "Current location",
            "release date",
            "by admin",
            "Copyright",
            "ICP",
            "相关新闻",
            "Share this",
        ):
            assert noise not in cleaned, (stem, noise)


def test_pinyin_annotations_repaired_and_traditional_kept():
    text, _ = _load("003_2b85af4a3afa424e")
    result = extract_with_spans(text)
    assert "(qū)" not in result.text and "區" in result.text
    assert not re.search(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)", result.text)
    assert result.record["leaders"][0]["title"] == "市委副書記、市長"  # Traditional stays Traditional


def test_publication_date_is_not_the_visit_date():
    text = (
        "Zhang Wei inspected Haitong Textile Co., Ltd.\n"
        "The release date :2021-03-10\n"
        "On the morning of December 28, Vice Mayor Zhang Wei visited Haitong Textile Co., Ltd. to check "
        "production safety. Zhang Wei stressed that enterprises must eliminate hidden safety hazards.\n"
    )
    rec = extract(text)
    # December is after March; a gap of more than two months gives no year
    assert rec["date"] == {
        "as_written": "the morning of December 28",
        "iso": None,
        "year": None,
        "month": 12,
        "day": 28,
    }
    rec2 = extract(text.replace("2021-03-10", "2021-01-05"))
    assert rec2["date"]["iso"] == "2020-12-28"
    rec3 = extract(text.replace("December 28", "February 2"))
    assert rec3["date"]["iso"] == "2021-02-02"


# --------------------------------------------------------------------------
# no visit / robustness
# --------------------------------------------------------------------------

NO_VISIT_TEXTS = {
    "empty": "",
    "spaces": "   \n\n  ",
    "weather_zh": "今天白天到夜间，全市多云转小雨，气温18到25摄氏度，东南风3到4级。明天阴有中雨，请市民出行注意安全。",
    "weather_en": "Weather forecast: cloudy with light rain in the afternoon, highs of 25C. Tomorrow will be sunny.",
    "recipe": "Tomato and egg stir-fry. Beat three eggs, cut two tomatoes. Heat oil in a wok, scramble the eggs, "
    "add tomatoes and a pinch of sugar. Serve with rice.",
    "lorem": "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt. " * 30,
    "zh_no_leader": "近日，我市举行春季植树活动，广大市民积极参与，共植树5000余株。",
    "boilerplate_only": "Home » News\nCopyright 2020 All Rights Reserved\nComments are closed.",
}


@pytest.mark.parametrize("name", sorted(NO_VISIT_TEXTS))
def test_no_visit_found(name):
    with pytest.raises(NoVisitFound) as exc:
        extract(NO_VISIT_TEXTS[name])
    assert "no visit found" in str(exc.value)
    assert isinstance(exc.value, ExtractionError)


def test_five_megabytes_is_fast():
    text, _ = _load("004_3836a11fcb83f6ed")
    big = (text + "\n") * (5_000_000 // len(text) + 1)
    assert len(big) >= 5_000_000
    t0 = time.perf_counter()
    rec = extract(big)
    assert time.perf_counter() - t0 < 3.0
    assert rec["leaders"][0]["name"] == "He Zhongwei"
    garbage_text = "噢" * 5_000_000
    t0 = time.perf_counter()
    with pytest.raises(NoVisitFound):
        extract(garbage_text)
    assert time.perf_counter() - t0 < 3.0


def test_binary_garbage_is_rejected():
    rng = bytes((i * 7919 + 13) % 256 for i in range(20000))
    with pytest.raises(UnreadableInput):
        extract_bytes(rng, "report.txt")
    with pytest.raises(UnreadableInput):
        extract_bytes(os.urandom(4096))
    with pytest.raises(UnreadableInput):
        extract_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000), "photo.png")
    with pytest.raises(UnreadableInput):
        extract_bytes(b"PK\x03\x04 not really a zip", "report.docx")


def test_empty_bytes():
    with pytest.raises(NoVisitFound):
        extract_bytes(b"", "empty.txt")


def test_gbk_and_utf16_bytes():
    text, gold = _load("102_zh_county_work_resumption")
    rec = extract_bytes(text.encode("gbk"), "report.txt")
    assert rec["leaders"] == gold["leaders"]
    rec = extract_bytes(text.encode("gb18030"))
    assert rec["organizations_visited"] == gold["organizations_visited"]
    text2, gold2 = _load("104_zht_material_supply")
    for enc in ("utf-16", "utf-8-sig"):
        rec = extract_bytes(text2.encode(enc), "report.txt")
        assert rec["leaders"] == gold2["leaders"]


def test_html_with_script():
    text, gold = _load("100_zh_district_safety_inspection")
    body = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>新闻</title>"
        "<script>var s='市长李大明带领检查组走进假公司有限公司调研';</script><style>p{color:red}</style></head>"
        f"<body><nav>首页 &gt; 新闻中心</nav><div class='content'>{body}</div>"
        "<script type='text/javascript'>document.write('副市长王小二');</script>"
        "<footer>版权所有 某某市人民政府</footer></body></html>"
    )
    result = extract_bytes_with_spans(html.encode("utf-8"), "page.html")
    assert result.record["leaders"] == gold["leaders"]
    assert result.record["organizations_visited"] == gold["organizations_visited"]
    assert "李大明" not in result.text and "王小二" not in result.text and "color" not in result.text
    # GBK-encoded HTML declaring its charset
    gbk_html = html.replace("utf-8", "gbk").encode("gbk", errors="ignore")
    assert extract_bytes(gbk_html, "page.htm")["leaders"] == gold["leaders"]


def _make_docx(paragraphs: list[str]) -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    from xml.sax.saxutils import escape

    body = "".join(f"<w:p><w:r><w:t xml:space='preserve'>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    doc = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>"
        f"<w:document xmlns:w='{w}'><w:body>{body}</w:body></w:document>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            "<?xml version='1.0'?><Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>",
        )
        zf.writestr("word/document.xml", doc)
    return buf.getvalue()


def test_docx():
    text, gold = _load("101_en_vice_mayor_hazchem")
    data = _make_docx(text.splitlines())
    rec = extract_bytes(data, "report.docx")
    assert rec["leaders"] == gold["leaders"]
    assert sorted(rec["organizations_visited"]) == sorted(gold["organizations_visited"])
    assert rec["date"] == gold["date"]
    # .docx detected from content even without a name
    assert extract_bytes(data)["leaders"] == gold["leaders"]
    with pytest.raises(NoVisitFound):
        extract_bytes(_make_docx(["Meeting notes", "Buy milk and eggs."]), "notes.docx")


def test_str_required():
    with pytest.raises(TypeError):
        extract_with_spans(b"bytes")  # type: ignore[arg-type]
