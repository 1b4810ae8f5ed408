"""Writes to departments go through here, so pages and the API record the same audit trail."""

from django.db import transaction


def save_department(form, *, actor):
    """Save a validated DepartmentForm/serializer on behalf of ``actor`` (recorded in the history)."""
    with transaction.atomic():
        department = form.save(commit=False)
        department._history_user = actor
        department.save()
        if hasattr(form, "save_m2m"):
            form.save_m2m()
    return department
