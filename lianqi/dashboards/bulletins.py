"""Bulletins: the figures of a jurisdiction for a week, month or half-year, as PDF (WeasyPrint,
Debian's Noto CJK fonts, charts drawn as SVG on the server) and .xlsx, archived with the figures
they were built from and e-mailed to subscribers."""

from __future__ import annotations

import datetime
import io
import logging
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lianqi.reporting import rates
from lianqi.reporting.models import DailyReport, TrackedPeriod
from lianqi.reporting.stats import resumption_stats

from . import charts
from .choices import BulletinKind, BulletinStatus
from .models import Bulletin, BulletinSubscription

logger = logging.getLogger(__name__)

RATE_ROWS = (
    "resumption_rate",
    "staff_return_rate",
    "capacity_mean",
    "capacity_weighted",
    "staffed_90_share",
    "capacity_80_share",
    "key_resumption_rate",
    "reporting_rate",
    "on_time_rate",
)


# --- Periods ------------------------------------------------------------------------------------


def period_of(kind: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period of ``kind`` that contains ``day``."""
    if kind == BulletinKind.WEEKLY:
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)
    if kind == BulletinKind.MONTHLY:
        start = day.replace(day=1)
        following = (start + datetime.timedelta(days=32)).replace(day=1)
        return start, following - datetime.timedelta(days=1)
    if day.month <= 6:
        return datetime.date(day.year, 1, 1), datetime.date(day.year, 6, 30)
    return datetime.date(day.year, 7, 1), datetime.date(day.year, 12, 31)


def last_complete_period(kind: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start, _end = period_of(kind, today)
    return period_of(kind, start - datetime.timedelta(days=1))


def title_for(node, kind: str, start: datetime.date, end: datetime.date) -> str:
    if kind == BulletinKind.WEEKLY:
        year, week, _weekday = start.isocalendar()
        return _("%(name)s weekly bulletin on work resumption and production safety (%(year)d, week %(week)d)") % {
            "name": node.name,
            "year": year,
            "week": week,
        }
    if kind == BulletinKind.MONTHLY:
        return _("%(name)s monthly bulletin on work resumption and production safety (%(year)d-%(month)02d)") % {
            "name": node.name,
            "year": start.year,
            "month": start.month,
        }
    half = _("first half") if start.month == 1 else _("second half")
    return _("%(name)s bulletin on production safety in the %(half)s of %(year)d") % {
        "name": node.name,
        "half": half,
        "year": start.year,
    }


# --- The figures --------------------------------------------------------------------------------


def _jsonable(groups, keys=("key", "label", "tracked", "reported", *RATE_ROWS)):
    return [{k: g.get(k) for k in keys} for g in groups]


def _missing_days(node, start, end, limit=20):
    """Tracked enterprises with the most days without a report in the period."""
    from lianqi.enterprises.models import Enterprise

    periods = TrackedPeriod.objects.filter(
        enterprise__jurisdiction__path__startswith=node.path, start__lte=end
    ).exclude(end__lt=start)
    expected: dict[int, int] = {}
    for enterprise_id, p_start, p_end in periods.values_list("enterprise_id", "start", "end"):
        first, last = max(p_start, start), min(p_end or end, end)
        if last >= first:
            expected[enterprise_id] = expected.get(enterprise_id, 0) + (last - first).days + 1
    received = dict(
        DailyReport.objects.filter(date__gte=start, date__lte=end, enterprise__jurisdiction__path__startswith=node.path)
        .values_list("enterprise_id")
        .annotate(n=Count("pk"))
        .values_list("enterprise_id", "n")
    )
    gaps = sorted(
        ((expected[e] - received.get(e, 0), e) for e in expected if expected[e] > received.get(e, 0)),
        key=lambda item: (-item[0], item[1]),
    )[:limit]
    names = {e.pk: e for e in Enterprise.objects.filter(pk__in=[e for _n, e in gaps]).select_related("jurisdiction")}
    return [
        {
            "enterprise": names[e].name,
            "jurisdiction": names[e].jurisdiction.name,
            "missing": n,
            "expected": expected[e],
        }
        for n, e in gaps
    ]


def _hazard_figures(node, start, end):
    from lianqi.hazards.models import Hazard
    from lianqi.hazards.stats import ledger_rates

    subtree = Hazard.objects.filter(jurisdiction__path__startswith=node.path)
    found = ledger_rates(subtree.filter(found_at__date__gte=start, found_at__date__lte=end), today=end)
    overall = ledger_rates(subtree, today=end)
    return {"found": found, "overall": overall}


def _inspection_figures(node, start, end):
    from lianqi.inspections.choices import DONE_STATUSES
    from lianqi.inspections.models import Inspection

    inspections = Inspection.objects.filter(
        jurisdiction__path__startswith=node.path, planned_date__gte=start, planned_date__lte=end
    )
    return inspections.aggregate(
        planned=Count("pk"),
        done=Count("pk", filter=Q(status__in=DONE_STATUSES)),
        leader_visits=Count("pk", filter=Q(kind="leader_visit")),
    )


def _appeal_figures(node, start, end):
    from lianqi.appeals.models import Appeal
    from lianqi.appeals.stats import summary

    subtree = Appeal.objects.filter(jurisdiction__path__startswith=node.path)
    raised = summary(subtree.filter(created_at__date__gte=start, created_at__date__lte=end), today=end)
    return {"raised": raised, "overall": summary(subtree, today=end)}


def collect(node, kind: str, start: datetime.date, end: datetime.date) -> dict:
    """Everything a bulletin shows, as JSON (kept on the bulletin as its archive)."""
    total = resumption_stats(node, start, end)
    last_day = resumption_stats(node, end, end)
    by_child = resumption_stats(node, start, end, by="jurisdiction")
    by_industry = resumption_stats(node, start, end, by="industry")
    by_date = resumption_stats(node, start, end, by="date")
    return {
        "jurisdiction": {"id": node.pk, "code": node.code, "name": node.name},
        "kind": kind,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "total": total["total"],
        "last_day": last_day["total"],
        "children": _jsonable(by_child["groups"]),
        "industries": _jsonable(sorted(by_industry["groups"], key=lambda g: -g["tracked"])),
        "days": _jsonable(by_date["groups"]),
        "missing": _missing_days(node, start, end),
        "hazards": _hazard_figures(node, start, end),
        "inspections": _inspection_figures(node, start, end),
        "appeals": _appeal_figures(node, start, end),
        "definitions": {k: str(v) for k, v in rates.DEFINITIONS.items()},
        "labels": {k: str(v) for k, v in rates.LABELS.items()},
    }


# --- Files --------------------------------------------------------------------------------------


def _charts(data) -> dict:
    days = data["days"]
    keys = ("resumption_rate", "staff_return_rate", "capacity_mean", "reporting_rate")
    trend = charts.line_chart(
        [d["label"] for d in days],
        [{"name": data["labels"][k], "data": [d[k] for d in days]} for k in keys],
    )
    children = data["children"]
    bars = charts.bar_chart([c["label"] for c in children], [c["resumption_rate"] for c in children])
    return {"trend": trend, "children": bars}


def render_pdf(bulletin: Bulletin, data: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "dashboards/bulletin_pdf.html",
        {
            "bulletin": bulletin,
            "data": data,
            "charts": _charts(data),
            "rate_rows": [
                (k, data["labels"][k], data["total"][k], data["last_day"][k], data["definitions"][k]) for k in RATE_ROWS
            ],
            "has_appeals": data.get("appeals") is not None,
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_xlsx(bulletin: Bulletin, data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    labels = data["labels"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Summary")[:31]
    sheet.append([bulletin.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Period"), f"{data['from']} – {data['to']}"])
    sheet.append([])
    sheet.append([_("Figure"), _("Period"), _("Last day"), _("Definition")])
    for key in RATE_ROWS:
        sheet.append([labels[key], data["total"][key], data["last_day"][key], data["definitions"][key]])
    sheet.append(
        [labels["tracked"], data["total"]["tracked"], data["last_day"]["tracked"], data["definitions"]["tracked"]]
    )
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["D"].width = 80

    def table(title, rows, first):
        ws = workbook.create_sheet(title[:31])
        ws.append([first, labels["tracked"], *[labels[k] for k in RATE_ROWS]])
        for row in rows:
            ws.append([row["label"], row["tracked"], *[row[k] for k in RATE_ROWS]])
        ws.column_dimensions["A"].width = 30
        ws.freeze_panes = "B2"

    table(_("By jurisdiction"), data["children"], _("Jurisdiction"))
    table(_("By industry"), data["industries"], _("Industry"))
    table(_("By day"), data["days"], _("Date"))
    ws = workbook.create_sheet(_("Missing reports")[:31])
    ws.append([_("Enterprise"), _("Jurisdiction"), _("Days without a report"), _("Days expected")])
    for row in data["missing"]:
        ws.append([row["enterprise"], row["jurisdiction"], row["missing"], row["expected"]])
    ws = workbook.create_sheet(_("Hazards")[:31])
    ws.append([_("Figure"), _("Found in the period"), _("All hazards")])
    for key, label in (
        ("total", _("Hazards")),
        ("open", _("Open")),
        ("major_open", _("Major hazards open")),
        ("overdue", _("Overdue")),
        ("closed", _("Closed")),
        ("rectification_rate", _("Rectification rate")),
    ):
        ws.append([label, data["hazards"]["found"][key], data["hazards"]["overall"][key]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Making and sending -------------------------------------------------------------------------


def request_bulletin(node, kind: str, start, end, *, actor=None, scheduled=False) -> Bulletin:
    with translation.override((actor.language if actor else None) or settings.LANGUAGE_CODE):
        title = title_for(node, kind, start, end)
    return Bulletin.objects.create(
        jurisdiction=node,
        kind=kind,
        period_start=start,
        period_end=end,
        title=title,
        created_by=actor,
        scheduled=scheduled,
        language=(actor.language if actor else None) or settings.LANGUAGE_CODE,
    )


def generate(bulletin_id: int, *, send: bool = True) -> Bulletin:
    """Build the figures and both files of a bulletin (idempotent: a ready bulletin is left as it is)."""
    bulletin = Bulletin.objects.select_related("jurisdiction").get(pk=bulletin_id)
    if bulletin.status == BulletinStatus.READY:
        return bulletin
    started = time.monotonic()
    try:
        with translation.override(bulletin.language):
            data = collect(bulletin.jurisdiction, bulletin.kind, bulletin.period_start, bulletin.period_end)
            pdf = render_pdf(bulletin, data)
            xlsx = render_xlsx(bulletin, data)
    except Exception as error:
        logger.exception("bulletin %s failed", bulletin.pk)
        bulletin.status, bulletin.error = BulletinStatus.FAILED, f"{error.__class__.__name__}: {error}"
        bulletin.save(update_fields=["status", "error", "updated_at"])
        raise
    stem = f"bulletin-{bulletin.jurisdiction.code}-{bulletin.kind}-{bulletin.period_start:%Y%m%d}"
    bulletin.data = data
    bulletin.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    bulletin.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
    bulletin.status = BulletinStatus.READY
    bulletin.generated_at = timezone.now()
    bulletin.seconds = round(time.monotonic() - started, 2)
    bulletin.error = ""
    bulletin.save()
    if send:
        transaction.on_commit(lambda: send_to_subscribers(bulletin.pk))
    return bulletin


def subscribers(bulletin: Bulletin):
    field = {"weekly": "weekly", "monthly": "monthly", "half_year": "half_year"}[bulletin.kind]
    return [
        s.user
        for s in BulletinSubscription.objects.filter(
            jurisdiction=bulletin.jurisdiction, **{field: True}
        ).select_related("user")
        if s.user.is_active and s.user.email
    ]


def send_to_subscribers(bulletin_id: int) -> int:
    bulletin = Bulletin.objects.get(pk=bulletin_id)
    sent = 0
    for user in subscribers(bulletin):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            message = EmailMessage(
                subject=bulletin.title,
                body=_("The bulletin is attached. It is also in the archive: %(url)s")
                % {"url": settings.SITE_URL + bulletin.get_absolute_url()},
                to=[user.email],
            )
        bulletin.pdf.open("rb")
        message.attach(bulletin.pdf.name.rsplit("/", 1)[-1], bulletin.pdf.read(), "application/pdf")
        bulletin.pdf.close()
        message.send(fail_silently=False)
        sent += 1
    return sent


def scheduled_bulletins(today=None) -> list[int]:
    """Make the bulletins whose period just ended, for every jurisdiction somebody subscribes
    to (once each: the unique constraint on scheduled bulletins)."""
    from django.db import IntegrityError

    today = today or timezone.localdate()
    made = []
    subscriptions = BulletinSubscription.objects.select_related("jurisdiction")
    wanted = set()
    for s in subscriptions:
        for kind in BulletinKind.values:
            if getattr(s, kind):
                wanted.add((s.jurisdiction, kind))
    for node, kind in sorted(wanted, key=lambda item: (item[0].path, item[1])):
        start, end = last_complete_period(kind, today)
        if Bulletin.objects.filter(jurisdiction=node, kind=kind, period_start=start, scheduled=True).exists():
            continue
        try:
            with transaction.atomic():
                bulletin = request_bulletin(node, kind, start, end, scheduled=True)
        except IntegrityError:
            continue
        generate(bulletin.pk)
        made.append(bulletin.pk)
    return made
