"""Tabs of the enterprise page, registered by apps (as menu items are in lianqi.core.navigation).

Later apps add theirs in ``AppConfig.ready``::

    register_enterprise_tab("hazards", _("Hazards"), "hazards/_enterprise_tab.html",
                            context=lambda request, enterprise: {"hazards": ...}, order=30)

``context(request, enterprise)`` returns the template's extra context, or None to hide the tab
for that user and enterprise. The enterprise and the request are always in the context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class EnterpriseTab:
    key: str
    label: str
    template: str
    context: Callable | None = None
    roles: frozenset = field(default_factory=frozenset)  # empty: everyone who may see the enterprise
    order: int = 100

    def visible_for(self, access) -> bool:
        return not self.roles or access.is_admin or bool(access.roles & self.roles)


_tabs: dict[str, EnterpriseTab] = {}


def register_enterprise_tab(key, label, template, *, context=None, roles=(), order=100) -> None:
    _tabs[key] = EnterpriseTab(key, label, template, context, frozenset(roles), order)


def tabs_for(access) -> list[EnterpriseTab]:
    return sorted((t for t in _tabs.values() if t.visible_for(access)), key=lambda t: (t.order, t.key))


def tab_context(tab: EnterpriseTab, request, enterprise) -> dict | None:
    extra = tab.context(request, enterprise) if tab.context else {}
    if extra is None:
        return None
    return {"enterprise": enterprise, "tab": tab, **extra}
