"""Chinese script handling: Traditional -> Simplified for analysis only.

The analysis copy always has exactly the same length as the cleaned text, so
an offset found in the analysis copy is also an offset into the text as
written; names are then sliced from the text as written (Traditional stays
Traditional).  Conversion uses OpenCC's dictionaries (package
``opencc-python-reimplemented``, pure Python, offline): a character table
built from ``TSCharacters.txt`` (fast, always length-preserving) and, for
short texts, OpenCC's phrase-aware ``t2s`` converter whenever its output
keeps the length.
"""

from __future__ import annotations

import functools
import os

_PHRASE_LIMIT = 20_000  # chars; longer texts use the character table only


@functools.lru_cache(maxsize=1)
def _opencc_dir() -> str | None:
    try:
        import opencc  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - dependency missing
        return None
    return os.path.join(os.path.dirname(opencc.__file__), "dictionary")


def _load_table(name: str) -> dict[int, str]:
    directory = _opencc_dir()
    table: dict[int, str] = {}
    if not directory:
        return table
    try:
        with open(os.path.join(directory, name), encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 2 and len(parts[0]) == 1 and len(parts[1]) == 1 and parts[0] != parts[1]:
                    table[ord(parts[0])] = parts[1]
    except OSError:  # pragma: no cover
        return {}
    return table


@functools.lru_cache(maxsize=1)
def t2s_table() -> dict[int, str]:
    return _load_table("TSCharacters.txt")


@functools.lru_cache(maxsize=1)
def s2t_table() -> dict[int, str]:
    return _load_table("STCharacters.txt")


@functools.lru_cache(maxsize=1)
def _phrase_converter():
    try:
        from opencc import OpenCC  # type: ignore[import-untyped]

        return OpenCC("t2s")
    except Exception:  # pragma: no cover
        return None


def count_traditional(text: str) -> int:
    table = t2s_table()
    return sum(1 for ch in text if ord(ch) in table)


def to_simplified(text: str) -> str:
    """Length-preserving Traditional -> Simplified conversion."""
    table = t2s_table()
    simple = text.translate(table)
    if simple == text:
        return text
    if len(text) <= _PHRASE_LIMIT:
        conv = _phrase_converter()
        if conv is not None:
            try:
                phrased = conv.convert(text)
            except Exception:  # pragma: no cover
                phrased = ""
            if len(phrased) == len(text):
                return phrased
    return simple


def to_traditional_chars(text: str) -> str:
    return text.translate(s2t_table())


def is_traditional(text: str, sample: int = 4000) -> bool:
    """True when the text is written in Traditional characters."""
    head = text[:sample]
    trad = count_traditional(head)
    simp_only = sum(1 for ch in head if ord(ch) in s2t_table())
    return trad > 3 and trad > simp_only
