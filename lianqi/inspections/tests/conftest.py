import io

import pytest
from django.utils import timezone

from lianqi.checklists.tests.factories import make_version
from lianqi.inspections.choices import InspectionKind
from lianqi.inspections.services import plan_inspection


def png_bytes(size=(40, 30), colour=(200, 30, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def version(db):
    return make_version()


@pytest.fixture
def inspection(cast, version):
    """Today's routine inspection of enterprise A, assigned to inspector A."""
    return plan_inspection(
        actor=cast.office,
        kind=InspectionKind.ROUTINE,
        enterprise=cast.enterprise_a,
        template_version=version,
        planned_date=timezone.localdate(),
        inspectors=[cast.inspector_a],
    )


@pytest.fixture
def inspection_b(cast, version):
    return plan_inspection(
        actor=cast.office,
        kind=InspectionKind.ROUTINE,
        enterprise=cast.enterprise_b,
        template_version=version,
        planned_date=timezone.localdate(),
        inspectors=[cast.official_b],
    )
