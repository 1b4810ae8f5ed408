"""Which of a user's roles decides their home page."""

from lianqi.accounts.choices import Role

HOME_PRIORITY = [Role.ADMIN, Role.LEADER, Role.OFFICE, Role.DEPARTMENT, Role.INSPECTOR, Role.ENTERPRISE, Role.GUARD]


def primary_role(access) -> str | None:
    for role in HOME_PRIORITY:
        if role in access.roles:
            return role
    return None
