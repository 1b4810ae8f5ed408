"""What a page needs to draw a checklist: one row per item with its answer and result."""

from __future__ import annotations

from dataclasses import dataclass, field

from .choices import ItemType, YesNoNa
from .evaluation import FAIL, INFO, NA, PASS, evaluate

RESULT_COLOURS = {PASS: "green", FAIL: "red", NA: "secondary", INFO: "azure"}


@dataclass
class Row:
    item: object
    value: object = None
    note: str = ""
    photos: list = field(default_factory=list)
    result: str | None = None
    visible: bool = True
    error: str = ""
    saved: bool = False

    @property
    def code(self):
        return self.item.code

    @property
    def selected(self) -> list:
        """The answer as a list of strings, for ticking radios and boxes in the template."""
        if self.value is None:
            return []
        if isinstance(self.value, list):
            return [str(v) for v in self.value]
        return [str(self.value)]

    @property
    def options(self) -> list[tuple[str, str]]:
        if self.item.type == ItemType.YES_NO_NA:
            return [(c.value, str(c.label)) for c in YesNoNa]
        return self.item.choice_labels()

    @property
    def display(self) -> str:
        """The answer in words (choice labels, numbers with their unit)."""
        value = self.value
        if value is None:
            return ""
        if self.item.type == ItemType.YES_NO_NA:
            return str(YesNoNa(value).label)
        if self.item.type == ItemType.CHOICE:
            return self.item.choice_label(value)
        if self.item.type == ItemType.MULTI_CHOICE:
            return "、".join(self.item.choice_label(v) for v in value)
        if self.item.type == ItemType.NUMBER:
            return f"{value:g} {self.item.unit}".strip() if isinstance(value, (int, float)) else str(value)
        return str(value)

    @property
    def result_colour(self) -> str:
        return RESULT_COLOURS.get(self.result, "secondary")

    @property
    def show_if_equals(self) -> str:
        return str((self.item.show_if or {}).get("equals", ""))


def build_sections(version, answers=None, notes=None, photos=None):
    """``[(section, [Row…])]`` and the evaluation, for the given answers, notes and photos
    (``photos``: ``{code: [photo…]}``)."""
    answers, notes, photos = answers or {}, notes or {}, photos or {}
    state = evaluate(version.ordered_items(), answers, photo_codes=frozenset(c for c, p in photos.items() if p))
    sections = []
    for section in version.ordered_sections():
        rows = [
            Row(
                item=item,
                value=answers.get(item.code),
                note=notes.get(item.code, ""),
                photos=photos.get(item.code, []),
                result=state.results.get(item.code),
                visible=item.code in state.visible,
            )
            for item in section.ordered_items
        ]
        sections.append((section, rows))
    return sections, state
