from django.utils import translation
from rest_framework.authentication import TokenAuthentication


class LanguageTokenAuthentication(TokenAuthentication):
    """Token authentication that answers in the user's chosen language, as pages do (for
    session users the UserLanguageMiddleware does this before the view runs)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and getattr(result[0], "language", ""):
            translation.activate(result[0].language)
            request._request.LANGUAGE_CODE = translation.get_language()
        return result
