"""The columns of the enterprise spreadsheet, shared by import, export and the template.

One list, so a file exported from the list page can be edited and imported again. Each column
has an English and a Chinese header (either is accepted on import), says whether import needs
it, how to read a cell and how to write one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from lianqi.accounts.models import phone_validator

from .choices import EnterpriseStatus, RiskTier, Scale


class CellError(ValueError):
    """A cell that cannot be read; the message names what is wrong and what is expected."""


def raw_text(value) -> str:
    """A cell as text, as typed (names keep their full-width brackets, as registered)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def text(value) -> str:
    """A cell holding a code, a number or a keyword: full-width characters made half-width."""
    return unicodedata.normalize("NFKC", raw_text(value)).strip()


def _str(max_length: int) -> Callable:
    def parse(value):
        value = raw_text(value)
        if len(value) > max_length:
            raise CellError(
                _("At most %(max)d characters (this one has %(count)d).") % {"max": max_length, "count": len(value)}
            )
        return value

    return parse


_PHONE = re.compile(phone_validator.regex.pattern)


def parse_phone(value):
    value = text(value).replace(" ", "")
    if value and not _PHONE.match(value):
        raise CellError(str(phone_validator.message))
    return value


def parse_headcount(value):
    value = text(value).replace(",", "")
    if not value:
        return None
    if not value.isdigit():
        raise CellError(_("Enter a whole number of people, such as 120."))
    return int(value)


def _coordinate(low, high):
    def parse(value):
        value = text(value)
        if not value:
            return None
        try:
            number = Decimal(value).quantize(Decimal("0.000001"))
        except InvalidOperation:
            raise CellError(_("Enter a decimal number, such as 34.752100.")) from None
        if not low <= number <= high:
            raise CellError(_("Must lie between %(low)s and %(high)s.") % {"low": low, "high": high})
        return number

    return parse


TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
FALSE_WORDS = {"否", "无", "n", "no", "false", "0", "×", "✗", ""}


def parse_flag(value):
    if isinstance(value, bool):
        return value
    word = text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("Write 是 or 否 (yes or no)."))


def _choice(choices, aliases: dict[str, str]) -> Callable:
    """Accept the stored value, the label in either language, or a common Chinese synonym."""
    accepted = {}

    def parse(value):
        if not accepted:  # built on first use: labels need the translation machinery
            accepted.update({key.lower(): v for key, v in aliases.items()})
            for v, label in choices.choices:
                accepted[v.lower()] = v
                for language in ("en", "zh-hans"):
                    with translation.override(language):
                        accepted[str(label).lower()] = v
        word = text(value).lower()
        if not word:
            return None
        try:
            return accepted[word]
        except KeyError:
            raise CellError(
                _("Unknown value “%(value)s”; use one of: %(choices)s.")
                % {"value": text(value), "choices": ", ".join(str(label) for _v, label in choices.choices)}
            ) from None

    return parse


SCALE_ALIASES = {"规上": Scale.ABOVE, "规模以上": Scale.ABOVE, "规下": Scale.BELOW, "规模以下": Scale.BELOW}
RISK_ALIASES = {
    **dict.fromkeys(["重大风险", "重大", "红", "红色"], RiskTier.MAJOR),
    **dict.fromkeys(["较大风险", "较大", "橙", "橙色"], RiskTier.HIGH),
    **dict.fromkeys(["一般风险", "一般", "黄", "黄色"], RiskTier.GENERAL),
    **dict.fromkeys(["低风险", "低", "蓝", "蓝色"], RiskTier.LOW),
}
STATUS_ALIASES = {
    **dict.fromkeys(["在营", "营业", "正常", "存续", "开业"], EnterpriseStatus.OPERATING),
    **dict.fromkeys(["停产", "停业", "停产停业"], EnterpriseStatus.SUSPENDED),
    **dict.fromkeys(["关闭", "注销", "吊销", "关停"], EnterpriseStatus.CLOSED),
}


def _flag_out(value: bool) -> str:
    return _("Yes") if value else _("No")


@dataclass(frozen=True)
class Column:
    key: str  # the API field name; also accepted as a header
    zh: str  # Chinese header
    en: str  # English header
    export: Callable  # Enterprise -> cell value
    parse: Callable | None = None  # cell -> value, raising CellError; None: export only (ignored on import)
    required: bool = False
    hint: object = ""  # allowed values, for the template's notes sheet

    def header(self, language: str) -> str:
        return self.zh if language.startswith("zh") else self.en


def _code(attr):
    def get(enterprise):
        node = getattr(enterprise, attr)
        return node.code if node is not None else ""

    return get


COLUMNS: list[Column] = [
    Column(
        "credit_code",
        "统一社会信用代码",
        "Credit code",
        lambda e: e.credit_code,
        required=True,
        hint=_l("18 characters, GB 32100 (check character verified)"),
    ),
    Column("name", "企业名称", "Name", lambda e: e.name, _str(200), required=True),
    Column("address", "地址", "Address", lambda e: e.address, _str(300)),
    Column(
        "jurisdiction",
        "属地区划代码",
        "Jurisdiction code",
        _code("jurisdiction"),
        required=True,
        hint=_l("Division code of the street or district where it is registered"),
    ),
    Column(
        "jurisdiction_name",
        "属地",
        "Jurisdiction",
        lambda e: e.jurisdiction.name_zh,
        hint=_l("For reading only; ignored on import"),
    ),
    Column(
        "operating_jurisdiction",
        "经营地区划代码",
        "Operating jurisdiction code",
        _code("operating_jurisdiction"),
        hint=_l("Only when it operates elsewhere"),
    ),
    Column(
        "industry",
        "行业代码",
        "Industry code",
        lambda e: e.industry_id,
        required=True,
        hint=_l("GB/T 4754-2017 code, e.g. 261"),
    ),
    Column(
        "industry_name",
        "行业",
        "Industry",
        lambda e: e.industry.name_zh,
        hint=_l("For reading only; ignored on import"),
    ),
    Column(
        "scale",
        "规模",
        "Scale",
        lambda e: e.get_scale_display(),
        _choice(Scale, SCALE_ALIASES),
        hint=_l("规上 or 规下"),
    ),
    Column(
        "risk_tier",
        "风险等级",
        "Risk tier",
        lambda e: e.get_risk_tier_display(),
        _choice(RiskTier, RISK_ALIASES),
        hint=_l("重大/较大/一般/低 (or red/orange/yellow/blue)"),
    ),
    Column(
        "status",
        "状态",
        "Status",
        lambda e: e.get_status_display(),
        _choice(EnterpriseStatus, STATUS_ALIASES),
        hint=_l("在营, 停产 or 关闭"),
    ),
    Column("legal_representative", "法定代表人", "Legal representative", lambda e: e.legal_representative, _str(50)),
    Column(
        "legal_representative_phone",
        "法定代表人电话",
        "Legal representative's phone",
        lambda e: e.legal_representative_phone,
        parse_phone,
    ),
    Column("safety_manager", "安全负责人", "Safety manager", lambda e: e.safety_manager, _str(50)),
    Column(
        "safety_manager_phone",
        "安全负责人电话",
        "Safety manager's phone",
        lambda e: e.safety_manager_phone,
        parse_phone,
    ),
    Column("contact_name", "联系人", "Contact person", lambda e: e.contact_name, _str(50)),
    Column("contact_phone", "联系电话", "Contact phone", lambda e: e.contact_phone, parse_phone),
    Column("headcount", "从业人数", "Headcount", lambda e: e.headcount, parse_headcount),
    Column("is_key", "重点企业", "Key enterprise", lambda e: _flag_out(e.is_key), parse_flag, hint=_l("是 or 否")),
    Column(
        "hazardous_chemicals",
        "危险化学品",
        "Hazardous chemicals",
        lambda e: _flag_out(e.hazardous_chemicals),
        parse_flag,
        hint=_l("是 or 否"),
    ),
    Column(
        "key_fire_unit",
        "消防安全重点单位",
        "Key fire-safety unit",
        lambda e: _flag_out(e.key_fire_unit),
        parse_flag,
        hint=_l("是 or 否"),
    ),
    Column(
        "high_risk_work",
        "高危作业",
        "High-risk work",
        lambda e: _flag_out(e.high_risk_work),
        parse_flag,
        hint=_l("是 or 否"),
    ),
    Column(
        "material_producer",
        "防护物资生产企业",
        "Protective-material producer",
        lambda e: _flag_out(e.material_producer),
        parse_flag,
        hint=_l("是 or 否"),
    ),
    Column("latitude", "纬度", "Latitude", lambda e: e.latitude, _coordinate(-90, 90)),
    Column("longitude", "经度", "Longitude", lambda e: e.longitude, _coordinate(-180, 180)),
    Column(
        "sector_department",
        "行业主管部门",
        "Sector authority",
        lambda e: e.sector_department.name_zh if e.sector_department_id else "",
        hint=_l("For reading only; set from the industry"),
    ),
]
# Columns read specially by the importer (credit code, jurisdictions and industry are looked up).
LOOKUP_KEYS = {"credit_code", "jurisdiction", "operating_jurisdiction", "industry"}
EXPORT_ONLY_KEYS = {"jurisdiction_name", "industry_name", "sector_department"}
BY_KEY = {c.key: c for c in COLUMNS}


def header_key(raw) -> str:
    """Normalise a header cell for matching: full-width to half-width, no spaces, no required-marker."""
    value = text(raw).replace("*", "").replace(" ", "").replace("_", "").lower()
    return value


HEADER_INDEX: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.key, _column.zh, _column.en):
        HEADER_INDEX[header_key(_name)] = _column.key


def export_columns(language: str | None = None) -> list[tuple[str, Callable]]:
    """Headers and accessors for an export in ``language`` (default: the active one).

    Labels of choices and of yes/no are translated once here, not once per cell: on 100,000
    rows the per-cell lookups cost more than writing the file."""
    language = language or translation.get_language() or "zh-hans"
    with translation.override(language):
        yes, no = _("Yes"), _("No")
        labels = {
            key: {value: str(label) for value, label in choices.choices}
            for key, choices in (("scale", Scale), ("risk_tier", RiskTier), ("status", EnterpriseStatus))
        }
    fast = {key: (lambda k: lambda e: labels[k].get(getattr(e, k), getattr(e, k)))(key) for key in labels}
    for flag in ("is_key", "hazardous_chemicals", "key_fire_unit", "high_risk_work", "material_producer"):
        fast[flag] = (lambda f: lambda e: yes if getattr(e, f) else no)(flag)
    return [(c.header(language), fast.get(c.key, c.export)) for c in COLUMNS]


# What each column reads when exporting from ``values_list`` rows instead of model instances
# (no model is built per row: on 100,000 rows that halves the time). Keys are the query's fields.
EXPORT_VALUES = {
    "credit_code": "credit_code",
    "name": "name",
    "address": "address",
    "jurisdiction": "jurisdiction__code",
    "jurisdiction_name": "jurisdiction__name_zh",
    "operating_jurisdiction": "operating_jurisdiction__code",
    "industry": "industry_id",
    "industry_name": "industry__name_zh",
    "sector_department": "sector_department__name_zh",
}


def export_row_functions(language: str | None = None) -> tuple[list[str], list[str], list[Callable]]:
    """Headers, the ``values_list`` fields to read and one function per column over a row tuple."""
    language = language or translation.get_language() or "zh-hans"
    with translation.override(language):
        yes, no = _("Yes"), _("No")
        labels = {
            key: {value: str(label) for value, label in choices.choices}
            for key, choices in (("scale", Scale), ("risk_tier", RiskTier), ("status", EnterpriseStatus))
        }
    fields = [EXPORT_VALUES.get(c.key, c.key) for c in COLUMNS]
    functions = []
    for index, column in enumerate(COLUMNS):
        if column.key in labels:
            functions.append((lambda i, m: lambda row: m.get(row[i], row[i]))(index, labels[column.key]))
        elif column.parse is parse_flag:
            functions.append((lambda i: lambda row: yes if row[i] else no)(index))
        else:
            functions.append((lambda i: lambda row: "" if row[i] is None else row[i])(index))
    return [c.header(language) for c in COLUMNS], fields, functions
