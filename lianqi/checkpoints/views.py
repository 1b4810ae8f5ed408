from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from lianqi.accounts.choices import Role
from lianqi.core.listing import FilteredListView
from lianqi.core.ratelimit import client_ip, hit, retry_after
from lianqi.core.scoping import can_change, get_visible_or_404

from . import keypersons, services
from .api.serializers import entry_payload
from .choices import (
    ALERT_COLOURS,
    DECISION_COLOURS,
    HEALTH_CODE_COLOURS,
    AccessAction,
    Direction,
    HealthCode,
)
from .filtersets import AlertFilterSet, CheckpointFilterSet, EntryFilterSet, VerificationFilterSet
from .forms import ConfirmForm, FollowUpForm, KeyPersonUploadForm, SelfRegistrationForm, VerifyForm
from .models import Alert, Checkpoint, Entry, EntryAccessLog, KeyPersonList, Verification
from .poster import poster_pdf, qr_svg
from .widgets import today_counts


def _is_office(user) -> bool:
    return user.access.is_admin or user.access.has_role(Role.OFFICE)


def _add_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- checkpoints ------------------------------------------------------------------------------
class CheckpointListView(FilteredListView):
    model = Checkpoint
    filterset_class = CheckpointFilterSet
    template_name = "checkpoints/checkpoint_list.html"
    partial_template_name = "checkpoints/_checkpoint_table.html"
    sortable = {"name": "name", "kind": "kind"}

    def get_queryset(self):
        return super().get_queryset().select_related("jurisdiction", "enterprise")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["object_list"])
        counts = today_counts([c.pk for c in page])
        context["rows"] = [(c, counts[c.pk]) for c in page]
        return context


@login_required
def detail(request, pk):
    checkpoint = get_visible_or_404(
        Checkpoint.objects.select_related("jurisdiction", "enterprise"), request.user, pk=pk
    )
    counts = today_counts([checkpoint.pk])[checkpoint.pk]
    alerts = Alert.objects.visible_to(request.user).filter(checkpoint=checkpoint).today()
    return render(
        request,
        "checkpoints/detail.html",
        {
            "checkpoint": checkpoint,
            "counts": counts,
            "qr": qr_svg(checkpoint),
            "guards": checkpoint.guards.order_by("display_name"),
            "alerts": alerts[:10],
            "alert_colours": ALERT_COLOURS,
            "may_register": services.can_register(request.user, checkpoint),
            "may_change": can_change(request.user, checkpoint),
        },
    )


@login_required
def poster(request, pk):
    checkpoint = get_visible_or_404(
        Checkpoint.objects.select_related("jurisdiction", "enterprise"), request.user, pk=pk
    )
    response = HttpResponse(poster_pdf(checkpoint), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="checkpoint-{checkpoint.pk}-poster.pdf"'
    return response


# --- the guard's page -------------------------------------------------------------------------
@login_required
def guard_home(request):
    """The guard's menu entry: straight to their checkpoint (or a choice when they have several)."""
    checkpoints = list(Checkpoint.objects.guarded_by(request.user).filter(is_active=True))
    if len(checkpoints) == 1:
        return redirect("checkpoints:guard", pk=checkpoints[0].pk)
    return render(request, "checkpoints/guard_choose.html", {"checkpoints": checkpoints})


@login_required
def guard(request, pk):
    checkpoint = get_visible_or_404(
        Checkpoint.objects.select_related("jurisdiction", "enterprise"), request.user, pk=pk
    )
    services.require_register(request.user, checkpoint)
    entries = list(Entry.objects.filter(checkpoint=checkpoint).confirmed().today().order_by("-at", "-id")[:30])
    services.log_access(request.user, AccessAction.VIEW, checkpoint=checkpoint, rows=len(entries))
    return render(
        request,
        "checkpoints/guard.html",
        {
            "checkpoint": checkpoint,
            "counts": today_counts([checkpoint.pk])[checkpoint.pk],
            "entries": [entry_payload(e) for e in entries],
            "pending": services.pending_registrations(checkpoint)[:20],
            "confirm_form": ConfirmForm(),
            "threshold": settings.FEVER_THRESHOLD,
            "health_codes": HealthCode.choices,
            "directions": Direction.choices,
            "decision_colours": DECISION_COLOURS,
            "code_colours": HEALTH_CODE_COLOURS,
            "i18n": _guard_messages(),
        },
    )


def _guard_messages() -> dict:
    """Texts the guard page's script shows, in the user's language."""
    from .personal import ID_MESSAGES
    from .validation import MESSAGES, TEMPERATURE_MAX, TEMPERATURE_MIN

    return {
        "online": _("Online"),
        "offline": _("Offline"),
        "admitted": _("Admitted"),
        "refused": _("Refused"),
        "queued": _("No network: saved on this phone, it will be sent when the network returns."),
        "sending": _("Sending…"),
        "rejected": _("Not accepted by the server:"),
        "remove": _("Remove"),
        "signed_out": _("You are signed out: log in again, then the queue is sent."),
        "fever": _("Will be refused: temperature at or above %(threshold)s °C.")
        % {"threshold": settings.FEVER_THRESHOLD},
        "code": _("Will be refused: the health code is not green."),
        "returning": _("Seen here before on %(date)s. Phone on file: %(phone)s — leave the phone empty to keep it."),
        "required": str(MESSAGES["required"]),
        "temperature_invalid": str(MESSAGES["temperature_invalid"]),
        "temperature_range": str(MESSAGES["temperature_range"] % {"min": TEMPERATURE_MIN, "max": TEMPERATURE_MAX}),
        "temperature_min": str(TEMPERATURE_MIN),
        "temperature_max": str(TEMPERATURE_MAX),
        **{key: str(value) for key, value in ID_MESSAGES.items()},
    }


@login_required
@require_POST
def confirm(request, pk, entry_pk):
    checkpoint = get_visible_or_404(Checkpoint, request.user, pk=pk)
    services.require_register(request.user, checkpoint)
    entry = get_object_or_404(Entry, pk=entry_pk, checkpoint=checkpoint)
    try:
        entry = services.confirm_self_registration(
            entry,
            actor=request.user,
            temperature=request.POST.get("temperature", ""),
            health_code=request.POST.get("health_code") or None,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if entry.is_refused:
            messages.error(
                request,
                _("%(name)s refused: %(reasons)s") % {"name": entry.name, "reasons": "; ".join(entry.reason_labels())},
            )
        else:
            messages.success(request, _("%(name)s admitted.") % {"name": entry.name})
    return redirect("checkpoints:guard", pk=checkpoint.pk)


def self_register(request, token):
    """The page behind the poster's QR code: no login, rate-limited per address, honeypot."""
    checkpoint = get_object_or_404(
        Checkpoint.objects.select_related("jurisdiction"), public_token=token, is_active=True
    )
    form = SelfRegistrationForm(request.POST or None, initial={"direction": Direction.IN})
    if request.method == "POST":
        limit = settings.CHECKPOINT_SELF_REGISTRATION_LIMIT
        if not hit("checkpoint-self", client_ip(request), limit=limit, window=600):
            response = render(
                request,
                "checkpoints/self_register.html",
                {"form": form, "checkpoint": checkpoint, "limited": True},
                status=429,
            )
            response["Retry-After"] = str(retry_after(600))
            return response
        if form.is_valid() and not form.cleaned_data.get("website"):
            try:
                entry = services.self_register(checkpoint, data=dict(form.cleaned_data))
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return render(request, "checkpoints/self_registered.html", {"checkpoint": checkpoint, "entry": entry})
    return render(
        request,
        "checkpoints/self_register.html",
        {"form": form, "checkpoint": checkpoint},
        status=400 if form.errors else 200,
    )


# --- entries (officials) ----------------------------------------------------------------------
class EntryListView(FilteredListView):
    """Entries the user may see, masked. Every view and export is logged; only the command
    office exports."""

    model = Entry
    filterset_class = EntryFilterSet
    template_name = "checkpoints/entry_list.html"
    partial_template_name = "checkpoints/_entry_table.html"
    sortable = {"at": "at", "temperature": "temperature"}
    export_filename = "checkpoint-entries"
    export_columns = [
        (gettext_lazy("Time"), "at"),
        (gettext_lazy("Checkpoint"), "checkpoint.name"),
        (gettext_lazy("Direction"), "get_direction_display"),
        (pgettext_lazy("person", "Name"), "name"),
        (gettext_lazy("ID number (masked)"), "id_masked"),
        (gettext_lazy("Phone (masked)"), "phone_masked"),
        (gettext_lazy("Health code"), "get_health_code_display"),
        (gettext_lazy("Temperature (°C)"), "temperature"),
        (gettext_lazy("Coming from"), "origin"),
        (gettext_lazy("Decision"), "get_decision_display"),
        (gettext_lazy("Reasons"), lambda e: "; ".join(e.reason_labels())),
    ]

    def get(self, request, *args, **kwargs):
        exporting = request.GET.get("export") in ("csv", "xlsx")
        if exporting and not _is_office(request.user):
            raise PermissionDenied(_("Only the command office exports checkpoint entries."))
        response = super().get(request, *args, **kwargs)
        query = request.GET.copy()
        query.pop("page", None)
        if exporting:
            services.log_access(
                request.user, AccessAction.EXPORT, rows=self.get_queryset().count(), query=query.urlencode()
            )
        else:
            services.log_access(
                request.user, AccessAction.VIEW, rows=len(response.context_data["object_list"]), query=query.urlencode()
            )
        return response

    def base_queryset(self):
        return super().base_queryset().confirmed()

    def get_queryset(self):
        return super().get_queryset().select_related("checkpoint")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_export"] = _is_office(self.request.user)
        context["retention"] = settings.PERSONAL_DATA_RETENTION_DAYS
        context["decision_colours"] = DECISION_COLOURS
        context["code_colours"] = HEALTH_CODE_COLOURS
        return context


class AccessLogView(FilteredListView):
    model = EntryAccessLog
    template_name = "checkpoints/access_log.html"
    paginate_by = 100

    def base_queryset(self):
        if not _is_office(self.request.user):
            raise PermissionDenied(_("Only the command office reads the access log."))
        return EntryAccessLog.objects.select_related("user", "checkpoint")

    def get_queryset(self):
        self.filterset = None
        return self.base_queryset()


# --- alerts -----------------------------------------------------------------------------------
class AlertListView(FilteredListView):
    model = Alert
    filterset_class = AlertFilterSet
    template_name = "checkpoints/alert_list.html"
    partial_template_name = "checkpoints/_alert_table.html"
    sortable = {"raised": "raised_at"}

    def get_queryset(self):
        return super().get_queryset().select_related("checkpoint")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["alert_colours"] = ALERT_COLOURS
        return context


@login_required
def alert(request, pk):
    item = get_visible_or_404(
        Alert.objects.select_related("checkpoint__jurisdiction", "checkpoint__enterprise"), request.user, pk=pk
    )
    may_follow_up = can_change(request.user, item)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST":
        if not may_follow_up:
            raise PermissionDenied(_("You may view this alert but not record its follow-up."))
        if form.is_valid():
            services.add_follow_up(item, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Follow-up recorded."))
            return redirect(item)
    return render(
        request,
        "checkpoints/alert_detail.html",
        {
            "alert": item,
            "follow_ups": item.follow_ups.select_related("by"),
            "form": form if may_follow_up else None,
            "alert_colours": ALERT_COLOURS,
        },
        status=400 if form.errors else 200,
    )


# --- key persons ------------------------------------------------------------------------------
@login_required
def key_person_lists(request):
    lists = KeyPersonList.objects.visible_to(request.user).select_related("jurisdiction", "uploaded_by")
    office = _is_office(request.user)
    form = KeyPersonUploadForm(request.POST or None, request.FILES or None, user=request.user) if office else None
    result = None
    if request.method == "POST":
        if not office:
            raise PermissionDenied(_("Only the command office uploads key-person lists."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = keypersons.import_list(
                    actor=request.user,
                    upload=data["file"],
                    name=data["name"],
                    jurisdiction=data["jurisdiction"],
                    source_note=data["source_note"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(count)d people on the list; %(hits)d matches among the retained entries.")
                    % {"count": result.key_list.row_count, "hits": result.retro_hits},
                )
                form = KeyPersonUploadForm(user=request.user)
    return render(
        request,
        "checkpoints/key_person_lists.html",
        {"lists": lists, "form": form, "result": result},
        status=400 if form is not None and form.errors else 200,
    )


class VerificationListView(FilteredListView):
    model = Verification
    filterset_class = VerificationFilterSet
    template_name = "checkpoints/verification_list.html"
    partial_template_name = "checkpoints/_verification_table.html"
    sortable = {"deadline": "deadline", "seen": "seen_at"}

    def get_queryset(self):
        return super().get_queryset().select_related("checkpoint")


@login_required
def verification(request, pk):
    item = get_visible_or_404(
        Verification.objects.select_related("checkpoint", "key_person__key_list"), request.user, pk=pk
    )
    may_answer = can_change(request.user, item) and item.status == "open"
    form = VerifyForm(request.POST or None)
    if request.method == "POST":
        if not can_change(request.user, item):
            raise PermissionDenied(_("Only the grid member or office of the area answers this verification."))
        if form.is_valid():
            try:
                services.verify(item, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Verification recorded."))
                return redirect(item)
    return render(
        request,
        "checkpoints/verification_detail.html",
        {"item": item, "form": form if may_answer else None},
        status=400 if form.errors else 200,
    )
