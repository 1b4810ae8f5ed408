import datetime

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.scoping import get_visible_or_404

from . import services
from .forms import AuditSearchForm


@login_required
def object_history(request, app_label, model_name, pk):
    """Before/after of every change to one record, for whoever may see the record."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    if model not in services.history_models() or not hasattr(model.objects, "visible_to"):
        raise Http404
    obj = get_visible_or_404(model, request.user, pk=pk)
    return render(request, "audit/object_history.html", {"object": obj, "entries": services.object_timeline(obj)})


@login_required
def search(request):
    """All changes, searchable by user and date: system administrators only."""
    if not request.user.access.is_admin:
        raise PermissionDenied(_("Only system administrators may search the audit trail."))
    form = AuditSearchForm(request.GET or None)
    entries = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        since = datetime.datetime.combine(data["since"], datetime.time.min, tz) if data["since"] else None
        until = (
            datetime.datetime.combine(data["until"] + datetime.timedelta(days=1), datetime.time.min, tz)
            if data["until"]
            else None
        )
        model = apps.get_model(data["model"]) if data["model"] else None
        entries = services.search(user=data["user"], model=model, since=since, until=until)
    elif not form.is_bound:
        entries = services.search()
    return render(request, "audit/search.html", {"form": form, "entries": entries})
