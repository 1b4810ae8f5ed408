import time

from django.utils import translation


class UserLanguageMiddleware:
    """Signed-in users get the interface in the language they chose, on every device."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


def start_activity_clock(sender, request, user, **kwargs):
    """At sign-in the idle clock starts (saved with the new session, no extra write later)."""
    if request is not None and hasattr(request, "session"):
        request.session[SessionIdleTimeoutMiddleware.KEY] = int(time.time())


class SessionIdleTimeoutMiddleware:
    """Sign a session out after ``SESSION_IDLE_TIMEOUT`` seconds without a request (0: never).

    ``SESSION_COOKIE_AGE`` bounds a session from sign-in; this bounds the time a signed-in page
    may sit unattended. The last-activity time is written at most once a minute, so an active
    user does not cost a session write per request.
    """

    KEY = "_last_activity"
    RESOLUTION = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        timeout = settings.SESSION_IDLE_TIMEOUT
        user = getattr(request, "user", None)
        if timeout and user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get(self.KEY)
            if last is not None and now - last > timeout:
                from django.contrib import messages
                from django.contrib.auth import logout
                from django.utils.translation import gettext as _

                logout(request)  # flushes the session: the old key is dead on the server too
                messages.info(
                    request,
                    _("You were signed out after %(minutes)d minutes without activity.")
                    % {"minutes": max(1, timeout // 60)},
                )
            elif last is None or now - last >= self.RESOLUTION:
                request.session[self.KEY] = now
        return self.get_response(request)
