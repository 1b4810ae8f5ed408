"""What a user may reach, computed once per request from their current memberships."""

from __future__ import annotations

from dataclasses import dataclass, field

from .choices import OFFICIAL_ROLES, TERRITORIAL_ROLES, Role

_CACHE_ATTRIBUTE = "_lianqi_access"


@dataclass
class Access:
    user: object
    is_admin: bool
    memberships: list = field(default_factory=list)

    @property
    def roles(self) -> set[str]:
        roles = {m.role for m in self.memberships}
        if self.is_admin:
            roles.add(Role.ADMIN)
        return roles

    def has_role(self, *roles) -> bool:
        return self.is_admin or bool(self.roles & set(roles))

    @property
    def is_official(self) -> bool:
        return bool(self.roles & OFFICIAL_ROLES)

    def jurisdiction_paths(self, roles=None) -> list[str]:
        """Tree paths below which the user works: territorial memberships by their node,
        department memberships by their department's node. Nested paths are collapsed."""
        wanted = set(roles) if roles else TERRITORIAL_ROLES | {Role.DEPARTMENT}
        paths = set()
        for membership in self.memberships:
            if membership.role not in wanted:
                continue
            if membership.role == Role.DEPARTMENT and membership.department_id:
                paths.add(membership.department.jurisdiction.path)
            elif membership.jurisdiction_id:
                paths.add(membership.jurisdiction.path)
        ordered = sorted(paths)
        return [p for p in ordered if not any(p != q and p.startswith(q) for q in ordered)]

    def ancestor_codes(self) -> list[str]:
        """Codes of the nodes strictly above the user's own nodes."""
        codes = set()
        for path in self.jurisdiction_paths():
            codes.update(path.rstrip("/").split("/")[:-1])
        return sorted(codes)

    def department_ids(self) -> list[int]:
        return sorted({m.department_id for m in self.memberships if m.role == Role.DEPARTMENT and m.department_id})

    def enterprise_ids(self) -> list[int]:
        return sorted({m.enterprise_id for m in self.memberships if m.role == Role.ENTERPRISE and m.enterprise_id})

    def memberships_with(self, *roles) -> list:
        return [m for m in self.memberships if m.role in roles]


def get_access(user) -> Access:
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    memberships = (
        list(user.memberships.current().select_related("jurisdiction", "department__jurisdiction")) if user.pk else []
    )
    is_admin = bool(user.is_superuser) or any(m.role == Role.ADMIN for m in memberships)
    access = Access(user=user, is_admin=is_admin, memberships=memberships)
    setattr(user, _CACHE_ATTRIBUTE, access)
    return access


def forget_access(user) -> None:
    """Drop the cached access (after memberships change within the same request or test)."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)
