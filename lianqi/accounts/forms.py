from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import StyledFormMixin
from lianqi.core.ratelimit import client_ip, count, hit

from . import lockout

LOGIN_IP_SCOPE = "login-failures-ip"


class LockoutMixin:
    """Failed sign-ins lock the account name (``LOGIN_FAILURE_LIMIT``) and, counted per client
    address (``LOGIN_IP_FAILURE_LIMIT``), stop one address from trying many names. Shared by the
    login page and the Django admin's login, so neither is a way around the other."""

    lockout_messages = {
        "locked": _(
            "Too many failed attempts for this account. Try again in %(minutes)s minutes "
            "or ask your administrator to unlock it."
        ),
        "rate_limited": _(
            "Too many failed sign-ins from your network. Try again in %(minutes)s minutes or ask your administrator."
        ),
    }

    def _ip(self):
        return client_ip(self.request) if self.request is not None else "unknown"

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
        window = settings.LOGIN_LOCKOUT_SECONDS
        if count(LOGIN_IP_SCOPE, self._ip(), window=window) >= settings.LOGIN_IP_FAILURE_LIMIT:
            raise forms.ValidationError(
                self.lockout_messages["rate_limited"], code="rate_limited", params={"minutes": minutes}
            )
        if username and lockout.is_locked(username):
            raise forms.ValidationError(self.lockout_messages["locked"], code="locked", params={"minutes": minutes})
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                lockout.register_failure(username)
            hit(LOGIN_IP_SCOPE, self._ip(), limit=settings.LOGIN_IP_FAILURE_LIMIT, window=window)
            raise
        lockout.clear_failures(username)
        return cleaned


class LoginForm(LockoutMixin, StyledFormMixin, AuthenticationForm):
    error_messages = {**AuthenticationForm.error_messages, **LockoutMixin.lockout_messages}


class AdminLoginForm(LockoutMixin, AdminAuthenticationForm):
    error_messages = {**AdminAuthenticationForm.error_messages, **LockoutMixin.lockout_messages}


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)
