from django.conf import settings

from .navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    context = {"LANGUAGES": settings.LANGUAGES}
    if user is not None and user.is_authenticated:
        access = user.access
        context["menu_items"] = menu_for(access)
        context["user_access"] = access
    return context
