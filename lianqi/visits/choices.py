from django.db import models
from django.utils.translation import gettext_lazy, pgettext_lazy


class CoverageScope(models.TextChoices):
    KEY = "key", gettext_lazy("Key enterprises")
    ABOVE_SCALE = "above_scale", gettext_lazy("Enterprises above designated size (规上)")
    HAZARDOUS_CHEMICALS = "hazardous_chemicals", gettext_lazy("Hazardous-chemical enterprises")
    KEY_FIRE_UNIT = "key_fire_unit", gettext_lazy("Key fire-safety units")
    MATERIAL_PRODUCER = "material_producer", gettext_lazy("Protective-material producers")
    ALL = "all", gettext_lazy("All operating enterprises")


class CoveragePeriod(models.TextChoices):
    MONTH = "month", pgettext_lazy("coverage period", "Month")
    QUARTER = "quarter", pgettext_lazy("coverage period", "Quarter")


class OrganisationChoice(models.TextChoices):
    """What the office decided for an organisation named in a report."""

    MATCH = "match", gettext_lazy("The registry enterprise chosen")
    TEXT = "text", gettext_lazy("Keep as text (not in the registry)")


TOPIC_LABELS = {
    "epidemic_prevention": gettext_lazy("Epidemic prevention"),
    "work_resumption": gettext_lazy("Work resumption"),
    "production_safety": gettext_lazy("Production safety"),
    "flood_prevention": gettext_lazy("Flood prevention"),
    "material_supply": gettext_lazy("Material supply"),
    "enterprise_service": gettext_lazy("Enterprise service"),
    "other": gettext_lazy("Other"),
}

# Highlight colours of the review page, per extracted field (Tabler colour names).
SPAN_COLOURS = {
    "title": "blue",
    "date": "purple",
    "leaders.name": "red",
    "leaders.title": "pink",
    "accompanying": "orange",
    "organizations_visited": "green",
    "places": "teal",
    "requirements": "yellow",
    "topics": "secondary",
}
