import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone


def make_photo(name="evidence.jpg", colour=(200, 30, 30)) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def photo():
    return make_photo


@pytest.fixture
def hazard(cast):
    """A general fire hazard at enterprise A, found by the inspector of street A, supervised by
    department A."""
    from lianqi.hazards import services

    cast.enterprise_a.sector_department = cast.department_a
    cast.enterprise_a.save()
    return services.report_hazard(
        actor=cast.inspector_a,
        enterprise=cast.enterprise_a,
        category="fire",
        description="二楼疏散通道堆放货物，安全出口被锁闭",
        location="二号仓库",
    )


@pytest.fixture
def in_rectification(hazard, cast):
    from lianqi.hazards.workflow import HAZARD_WORKFLOW

    return HAZARD_WORKFLOW.perform(
        hazard,
        "issue_order",
        actor=cast.inspector_a,
        deadline=timezone.localdate() + datetime.timedelta(days=7),
        responsible_person="刘强",
        measures="清理通道",
    )


@pytest.fixture(autouse=True)
def _notifications_follow_each_step(on_commit_now):
    """Hazard tests look at the notifications each step sends."""
