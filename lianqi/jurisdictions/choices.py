from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    CITY = 1, _("City")
    DISTRICT = 2, _("District / county")
    STREET = 3, _("Street / township")
    COMMUNITY = 4, _("Community / village")
    GRID = 5, _("Grid")
