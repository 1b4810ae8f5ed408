"""Visibility in one place.

Every domain model's queryset derives from :class:`ScopedQuerySet` and says, in ``scope_q``,
which rows a user's memberships let them see, and in ``change_q`` which they may change.
Pages, API endpoints, exports and dashboards all start from ``Model.objects.visible_to(user)``;
see docs/development/permissions.md.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from lianqi.accounts.access import Access


def any_of(conditions) -> Q | None:
    """OR together a list of Q objects; ``None`` when the list is empty (nothing matches)."""
    conditions = [c for c in conditions if c is not None]
    if not conditions:
        return None
    return reduce(or_, conditions)


def under_paths(field: str, paths) -> Q | None:
    """Rows whose jurisdiction (reached through ``field``; "" for the jurisdiction itself) lies at
    or below one of ``paths``."""
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    return any_of(Q(**{lookup: path}) for path in paths)


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows who may see and change its rows."""

    # System administrators see every row, except of personal models (a user's inbox), which
    # set this to False: there an administrator is one more user.
    admin_sees_all = True
    # Roles whose members see every row under their jurisdictions, by ``territory_field``
    # (the model's ``scope_q`` grants exactly that, among other things). Lets ``in_subtree``
    # skip the rest of the scope when the user's territory covers the whole subtree.
    territorial_roles: tuple = ()
    territory_field = "jurisdiction"

    def scope_q(self, access: Access) -> Q | None:  # pragma: no cover - every model overrides it
        raise NotImplementedError(f"{self.model.__name__} must define which rows a user may see")

    def change_q(self, access: Access) -> Q | None:
        """Which rows the user may change; by default none (read-only for everybody but admins)."""
        return None

    def _restrict(self, user, condition_for):
        from lianqi.accounts.access import get_access

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        access = get_access(user)
        if access.is_admin and self.admin_sees_all:
            return self
        condition = condition_for(access)
        if condition is None:
            return self.none()
        return self.filter(condition)

    def visible_to(self, user):
        return self._restrict(user, self.scope_q)

    def in_subtree(self, user, node):
        """The rows under jurisdiction ``node`` that ``user`` may see: the same rows as
        ``visible_to(user)`` under the node. When the user's territory covers the whole node
        (an administrator, or a territorial role at the node or above), every row under it is
        visible, so the subtree condition alone is enough: one indexable condition instead of
        the user's whole scope (dashboards aggregate a city's 200,000 hazards this way)."""
        rows = self.filter(**{f"{self.territory_field}__path__startswith": node.path})
        access = user.access
        if access.is_admin and self.admin_sees_all:
            return rows
        if self.territorial_roles and any(
            node.path.startswith(path) for path in access.jurisdiction_paths(roles=self.territorial_roles)
        ):
            return rows
        return rows.visible_to(user)

    def editable_by(self, user):
        return self._restrict(user, lambda access: self._both(access))

    def _both(self, access):
        seen, changed = self.scope_q(access), self.change_q(access)
        if seen is None or changed is None:
            return None
        return seen & changed


def get_visible_or_404(queryset, user, **lookup):
    """The object if ``user`` may see it; 404 otherwise, so outsiders learn nothing."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404(_("No %(name)s matches the given query.") % {"name": queryset.model._meta.verbose_name}) from None


def can_change(user, obj) -> bool:
    return type(obj)._default_manager.editable_by(user).filter(pk=obj.pk).exists()


def require_change(user, obj) -> None:
    """403 for a user who may see ``obj`` but not change it."""
    if not can_change(user, obj):
        raise PermissionDenied(_("You may view this record but not change it."))
