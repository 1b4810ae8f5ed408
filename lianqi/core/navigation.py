"""Navigation and home-page widgets, registered by each app in its ``AppConfig.ready``.

An app adds its menu entries with ``register_menu_item`` and the cards it shows on role home
pages with ``register_home_widget``; the shell renders what the user's roles allow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    roles: frozenset = frozenset()  # empty: every signed-in user
    order: int = 100
    icon: str = ""

    def visible_for(self, access) -> bool:
        return not self.roles or access.is_admin or bool(access.roles & self.roles)

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class HomeWidget:
    template: str
    context: Callable  # (request, access) -> dict | None; None hides the widget
    roles: frozenset = field(default_factory=frozenset)
    order: int = 100


_menu: list[MenuItem] = []
_widgets: list[HomeWidget] = []


def register_menu_item(label, url_name, *, roles=(), order=100, icon="") -> None:
    item = MenuItem(label=label, url_name=url_name, roles=frozenset(roles), order=order, icon=icon)
    if item not in _menu:
        _menu.append(item)


def register_home_widget(template, context, *, roles=(), order=100) -> None:
    widget = HomeWidget(template=template, context=context, roles=frozenset(roles), order=order)
    if widget not in _widgets:
        _widgets.append(widget)


def menu_for(access) -> list[MenuItem]:
    return sorted((i for i in _menu if i.visible_for(access)), key=lambda i: i.order)


def widgets_for(role: str) -> list[HomeWidget]:
    return sorted((w for w in _widgets if not w.roles or role in w.roles), key=lambda w: w.order)
