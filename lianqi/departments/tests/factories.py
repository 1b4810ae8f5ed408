import factory

from lianqi.departments.choices import DepartmentKind
from lianqi.departments.models import Department
from lianqi.jurisdictions.tests.factories import JurisdictionFactory


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name_zh = factory.Sequence(lambda n: f"应急管理局{n}")
    name_en = factory.Sequence(lambda n: f"Emergency Management Bureau {n}")
    kind = DepartmentKind.SECTOR
    jurisdiction = factory.SubFactory(JurisdictionFactory)
