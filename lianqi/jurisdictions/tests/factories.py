import factory

from lianqi.jurisdictions.choices import Level
from lianqi.jurisdictions.models import Jurisdiction


class JurisdictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jurisdiction
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"9{n:05d}")
    name_zh = factory.Sequence(lambda n: f"测试区{n}")
    name_en = factory.Sequence(lambda n: f"Test District {n}")
    level = Level.CITY
    parent = None

    @classmethod
    def child_of(cls, parent, **kwargs):
        kwargs.setdefault("level", parent.level + 1)
        kwargs.setdefault("code", f"{parent.code}{Jurisdiction.objects.filter(parent=parent).count() + 1:03d}")
        return cls(parent=parent, **kwargs)
