from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from lianqi.core.scoping import get_visible_or_404

from .choices import Channel
from .models import Notification


@login_required
def inbox(request):
    notifications = Notification.objects.visible_to(request.user).filter(channel=Channel.IN_APP)
    if request.GET.get("unread"):
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(
        request, "notifications/inbox.html", {"page_obj": page, "only_unread": bool(request.GET.get("unread"))}
    )


@login_required
def open_notification(request, pk):
    notification = get_visible_or_404(Notification, request.user, pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    target = notification.url
    path = "/" + target.split("://", 1)[-1].split("/", 1)[-1] if "://" in target else target
    if not url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()}):
        path = "/"
    return redirect(path or "/")


@login_required
@require_POST
def mark_all_read(request):
    Notification.objects.visible_to(request.user).unread().update(read_at=timezone.now())
    return redirect("notifications:inbox")
