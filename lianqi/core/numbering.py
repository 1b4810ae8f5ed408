"""Readable numbers issued per district and year: ``YH-419902-2026-00001``."""

from django.db import transaction

from .models import Counter


def district_of(node):
    """The district (level 2) a node belongs to, or the node itself above that level."""
    while node.parent_id and node.level > 2:
        node = node.parent
    return node


def next_number(prefix: str, node, year: int) -> str:
    district = district_of(node)
    with transaction.atomic():
        counter, _ = Counter.objects.select_for_update().get_or_create(scope=f"{prefix}:{district.code}:{year}")
        counter.last += 1
        counter.save(update_fields=["last"])
    return f"{prefix}-{district.code}-{year}-{counter.last:05d}"
