"""Bytes -> text: encodings, HTML and .docx."""

from __future__ import annotations

import codecs
import contextlib
import io
import re
import zipfile
from html import unescape
from html.parser import HTMLParser
from xml.etree import ElementTree

from .errors import UnreadableInput

MAX_INPUT_BYTES = 20 * 1024 * 1024  # we never look further than this
_DOCX_XML_LIMIT = 30 * 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# --------------------------------------------------------------------------
# encodings
# --------------------------------------------------------------------------


def _plausible_text(text: str) -> bool:
    """Reject decodings that are mostly control, private-use or rare characters."""
    sample = text[:20000]
    if not sample.strip():
        return True
    bad = 0
    for ch in sample:
        cp = ord(ch)
        if ch in "\n\r\t" or 0x20 <= cp < 0x7F:
            continue
        if (
            0x4E00 <= cp <= 0x9FFF  # CJK
            or 0x3000 <= cp <= 0x303F  # CJK punctuation
            or 0xFF00 <= cp <= 0xFFEF  # fullwidth forms
            or 0x2000 <= cp <= 0x206F  # general punctuation
            or 0x00A0 <= cp <= 0x024F  # Latin-1 / Latin extended (pinyin tones)
            or 0x2100 <= cp <= 0x25FF  # symbols, numbers in circles
            or cp == 0xFEFF
        ):
            continue
        bad += 1
    return bad / len(sample) < 0.05


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode UTF-8 / UTF-16 / UTF-32 (BOM) / GB18030 bytes; reject binary data."""
    if not data:
        return ""
    data = data[:MAX_INPUT_BYTES]
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            text = data[len(bom) :].decode(enc, errors="replace")
            if not _plausible_text(text):
                raise UnreadableInput("the file does not contain readable text")
            return text
    candidates = ["utf-8"]
    if declared:
        with contextlib.suppress(LookupError):
            candidates.append(codecs.lookup(declared).name)
    candidates.append("gb18030")
    # UTF-16 without BOM: lots of NULs at alternating positions
    head = data[:4000]
    if head.count(0) > len(head) // 4:
        even = head[0::2].count(0)
        odd = head[1::2].count(0)
        candidates.insert(0, "utf-16-be" if even > odd else "utf-16-le")
    elif b"\x00" in head:
        raise UnreadableInput("the file looks like binary data, not text")
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            # a truncated trailing multi-byte sequence is fine
            try:
                text = data[:-3].decode(enc) if len(data) > 3 else None
            except (UnicodeDecodeError, LookupError):
                text = None
            if text is None:
                continue
        if _plausible_text(text):
            return text
    raise UnreadableInput("the file does not contain readable text (tried UTF-8, UTF-16, GB18030)")


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------

_SKIP_TAGS = {
    "script",
    "style",
    "nav",
    "noscript",
    "iframe",
    "svg",
    "form",
    "button",
    "select",
    "template",
    "head",
    "footer",
    "aside",
    "menu",
}
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "section",
    "article",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "title",
    "td",
    "th",
    "main",
    "figure",
    "figcaption",
    "hr",
}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.title_parts: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS and tag not in _VOID:
            self.skip_depth += 1
        if tag == "title":
            self._in_title = True
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS and tag not in _VOID and self.skip_depth:
            self.skip_depth -= 1
        if tag == "title":
            self._in_title = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title_parts.append(data)
            return
        if self.skip_depth:
            return
        self.parts.append(data)


def html_to_text(html: str) -> str:
    # remove comments and script/style blocks first: robust against broken markup
    html = re.sub(r"(?is)<!--.*?-->", " ", html)
    html = re.sub(r"(?is)<(script|style|noscript|template)\b.*?</\1\s*>", " ", html)
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # pragma: no cover - html.parser is very lenient
        return unescape(re.sub(r"(?s)<[^>]+>", "\n", html))
    body = "".join(parser.parts)
    body = re.sub(r"[ \t\r\f\v]+", " ", body)
    body = re.sub(r" *\n[ \n]*", "\n", body)
    body = body.strip()
    title = " ".join("".join(parser.title_parts).split())
    if title and title[:20] not in body[:2000]:
        body = title + "\n" + body
    return body


def looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in text[:5000].lower():
        return True
    return len(re.findall(r"</?(?:p|div|span|br|script|body|a|table|td|li)\b[^>]*>", text[:20000], re.I)) >= 3


def _declared_charset(data: bytes) -> str | None:
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", data[:4096], re.I)
    return m.group(1).decode("ascii", "ignore") if m else None


# --------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------


def docx_to_text(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            try:
                info = zf.getinfo("word/document.xml")
            except KeyError as exc:
                raise UnreadableInput("the .docx file has no word/document.xml") from exc
            if info.file_size > _DOCX_XML_LIMIT:
                raise UnreadableInput("the .docx document is too large")
            xml = zf.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError) as exc:
        raise UnreadableInput(f"not a readable .docx file: {exc}") from exc
    # A .docx never carries a DTD; refusing one rules out entity-expansion attacks.
    if b"<!DOCTYPE" in xml[:4096].upper() or b"<!ENTITY" in xml:
        raise UnreadableInput("the .docx document contains a DTD, refusing to parse it")
    try:
        root = ElementTree.fromstring(xml)  # noqa: S314 - DTD refused above
    except ElementTree.ParseError as exc:
        raise UnreadableInput(f"broken .docx XML: {exc}") from exc
    paragraphs = []
    for para in root.iter(f"{_W}p"):
        buf = []
        for node in para.iter():
            if node.tag == f"{_W}t" and node.text:
                buf.append(node.text)
            elif node.tag == f"{_W}tab":
                buf.append(" ")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                buf.append("\n")
        paragraphs.append("".join(buf))
    return "\n".join(paragraphs)


def bytes_to_text(data: bytes, filename: str | None = None) -> str:
    name = (filename or "").lower()
    if name.endswith(".docx") or (data[:4] == b"PK\x03\x04" and not name.endswith((".txt", ".html", ".htm"))):
        return docx_to_text(data)
    if name.endswith((".doc", ".pdf", ".xls", ".xlsx", ".png", ".jpg", ".jpeg", ".gif", ".zip")):
        raise UnreadableInput(f"unsupported file type: {filename}")
    declared = _declared_charset(data) if name.endswith((".html", ".htm")) or b"<meta" in data[:4096].lower() else None
    text = decode_bytes(data, declared)
    if name.endswith((".html", ".htm", ".xhtml")) or looks_like_html(text):
        text = html_to_text(text)
    return text
