from rest_framework.exceptions import PermissionDenied

from lianqi.core.scoping import can_change


class ScopedViewSetMixin:
    """Every API list and lookup starts from ``Model.objects.visible_to(request.user)``;
    changes additionally need ``editable_by`` (403 for those who may only look)."""

    model = None
    # Roles that may create records through this endpoint (checked before the body is validated).
    create_roles: tuple = ()

    def check_permissions(self, request):
        super().check_permissions(request)
        creating = request.method == "POST" and getattr(self, "action", None) == "create"
        if creating and not request.user.access.has_role(*self.create_roles):
            raise PermissionDenied(code="permission_denied")

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        if request.method not in ("GET", "HEAD", "OPTIONS") and not can_change(request.user, obj):
            raise PermissionDenied(code="permission_denied")
