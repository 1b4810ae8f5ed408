from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from lianqi.core.ratelimit import retry_after

from .forms import LanguageForm, LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("__all__", "rate_limited"):
            response.status_code = 429
            response["Retry-After"] = str(retry_after(settings.LOGIN_LOCKOUT_SECONDS))
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if user.language:
            response.set_cookie("django_language", user.language, samesite="Lax")
        return response


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


@require_POST
def set_language(request):
    """Switch the interface language; remembered on the account for signed-in users."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if not form.is_valid():
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])
    translation.activate(language)
    response.set_cookie("django_language", language, samesite="Lax", max_age=365 * 24 * 3600)
    return response
