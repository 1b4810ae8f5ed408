from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanMode(models.TextChoices):
    UNDIRECTED = "undirected", _("Undirected (不定向): all enterprises of the jurisdiction")
    DIRECTED = "directed", _("Directed (定向): enterprises matching the criteria")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("spot-check plan", "Draft")
    DRAWN = "drawn", pgettext_lazy("spot-check plan", "Drawn")
    PUBLISHED = "published", pgettext_lazy("spot-check plan", "Results published")


STATUS_COLOURS = {PlanStatus.DRAFT: "orange", PlanStatus.DRAWN: "blue", PlanStatus.PUBLISHED: "green"}


class CheckResult(models.TextChoices):
    # The result categories used in published 双随机 results.
    NO_PROBLEM = "no_problem", _("No problem found (未发现问题)")
    CORRECTED = "corrected", _("Problems found, corrected on the spot or ordered to correct (发现问题已责令整改)")
    VIOLATION = "violation", _("Violation found, case filed (发现违法行为已立案)")
    NOT_OPERATING = "not_operating", _("Not operating at the registered address (未发现开展经营活动)")
    UNREACHABLE = "unreachable", _("Could not be found (查无下落)")
    REFUSED = "refused", _("Refused the inspection (不配合检查)")
