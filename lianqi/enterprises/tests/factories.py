import factory

from lianqi.enterprises import credit_code
from lianqi.enterprises.models import Assignment, Enterprise
from lianqi.industries.models import Industry
from lianqi.jurisdictions.tests.factories import JurisdictionFactory


def _industry(code: str) -> Industry:
    """The industry row (loaded by migration; reloaded after a transactional test's flush)."""
    from lianqi.industries.loader import ensure_loaded

    ensure_loaded()
    return Industry.objects.get(code=code)


def credit_code_for(n: int, division: str = "419902") -> str:
    return credit_code.make(f"91{division}{n:09d}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    credit_code = factory.Sequence(lambda n: credit_code_for(n + 1))
    name = factory.Sequence(lambda n: f"江川测试化工有限公司{n}")
    address = factory.Sequence(lambda n: f"江川市东湖区测试路{n}号")
    jurisdiction = factory.SubFactory(JurisdictionFactory)
    industry = factory.LazyFunction(lambda: _industry("261"))


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    enterprise = factory.SubFactory(EnterpriseFactory)
    role = "resident_instructor"
