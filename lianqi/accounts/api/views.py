from drf_spectacular.utils import extend_schema
from rest_framework import generics, viewsets

from lianqi.core.api.viewsets import ScopedViewSetMixin

from ..models import User
from .serializers import UserSerializer


class MeView(generics.RetrieveUpdateAPIView):
    """The signed-in user: profile, language preference and memberships."""

    serializer_class = UserSerializer

    def get_object(self):
        return self.request.user


class UserViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """People holding a membership in the caller's part of the tree."""

    model = User
    serializer_class = UserSerializer
    search_fields = ["username", "display_name"]
    ordering = ["username"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("memberships")


extend_schema(summary="Current user")(MeView)
