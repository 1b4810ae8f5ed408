from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from lianqi.accounts.models import ApiToken


class LanguageTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>`` against the stored hashes of API tokens (accounts.ApiToken),
    answering in the user's chosen language, as pages do (for session users the
    UserLanguageMiddleware does this before the view runs)."""

    model = ApiToken

    def authenticate_credentials(self, key):
        token = ApiToken.for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and getattr(result[0], "language", ""):
            translation.activate(result[0].language)
            request._request.LANGUAGE_CODE = translation.get_language()
        return result
