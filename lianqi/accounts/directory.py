"""Who holds which role where: the people a notification or an escalation goes to."""

from .choices import Role
from .models import Membership, User


def enterprise_users(enterprise):
    if enterprise is None:
        return User.objects.none()
    ids = Membership.objects.current().filter(role=Role.ENTERPRISE, enterprise=enterprise).values("user")
    return User.objects.filter(pk__in=ids, is_active=True)


def department_staff(department):
    if department is None:
        return User.objects.none()
    ids = Membership.objects.current().filter(role=Role.DEPARTMENT, department=department).values("user")
    return User.objects.filter(pk__in=ids, is_active=True)


def offices_over(node):
    """The command office at ``node`` and at every level above it."""
    if node is None:
        return User.objects.none()
    codes = [code for code in node.path.split("/") if code]
    ids = Membership.objects.current().filter(role=Role.OFFICE, jurisdiction__code__in=codes).values("user")
    return User.objects.filter(pk__in=ids, is_active=True)


def inspectors_over(node):
    """Inspectors and grid members whose node contains ``node``."""
    if node is None:
        return User.objects.none()
    codes = [code for code in node.path.split("/") if code]
    ids = Membership.objects.current().filter(role=Role.INSPECTOR, jurisdiction__code__in=codes).values("user")
    return User.objects.filter(pk__in=ids, is_active=True)


def with_role_at(user, role, node) -> bool:
    """Whether ``user`` holds ``role`` at ``node`` or above it."""
    if node is None:
        return False
    codes = [code for code in node.path.split("/") if code]
    return Membership.objects.current().filter(user=user, role=role, jurisdiction__code__in=codes).exists()


__all__ = ["department_staff", "enterprise_users", "inspectors_over", "offices_over", "with_role_at"]
