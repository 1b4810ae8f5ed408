import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lianqi.checklists import services as checklist_services
from lianqi.inspections import services
from lianqi.inspections.choices import InspectionStatus
from lianqi.inspections.models import Answer, Finding, Photo

from .conftest import png_bytes

pytestmark = pytest.mark.django_db


def photo(name="p.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def answer_all(inspection, user, **overrides):
    values = {"S1.1": "yes", "S1.2": "yes", "S1.3": 4, "S1.4": ["powder"], **overrides}
    for code, value in values.items():
        services.save_answer(inspection.pk, code, value, actor=user)
    services.add_photo(inspection.pk, "S1.6", photo(), actor=user)
    if values.get("S1.1") == "yes":
        services.add_photo(inspection.pk, "S1.2", photo(), actor=user)


def test_answers_are_saved_one_by_one_and_start_the_inspection(cast, inspection):
    services.save_answer(inspection.pk, "S1.1", "yes", note="两个钢瓶", actor=cast.inspector_a)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS
    answer = Answer.objects.get(inspection=inspection, item_code="S1.1")
    assert answer.value == "yes" and answer.note == "两个钢瓶"


def test_a_number_outside_the_limits_is_refused_and_the_old_answer_kept(cast, inspection):
    services.save_answer(inspection.pk, "S1.3", "5", actor=cast.inspector_a)
    with pytest.raises(ValidationError) as error:
        services.save_answer(inspection.pk, "S1.3", "99", actor=cast.inspector_a)
    assert "0–50" in error.value.messages[0]
    assert Answer.objects.get(inspection=inspection, item_code="S1.3").value == 5


def test_only_the_assigned_people_conduct(cast, inspection):
    for user in (cast.office, cast.official_a, cast.dept_a, cast.enterprise_user):
        with pytest.raises(PermissionDenied):
            services.save_answer(inspection.pk, "S1.1", "yes", actor=user)


def test_conditional_item_is_only_required_when_shown(cast, inspection):
    answer_all(inspection, cast.inspector_a, **{"S1.1": "no", "S1.2": None})
    submitted, now = services.submit(inspection.pk, actor=cast.inspector_a)
    assert now and submitted.status == InspectionStatus.SUBMITTED


def test_photo_required_items_block_submission_until_a_photo_is_there(cast, inspection, english):
    for code, value in {"S1.1": "yes", "S1.2": "yes", "S1.3": 4}.items():
        services.save_answer(inspection.pk, code, value, actor=cast.inspector_a)
    with pytest.raises(ValidationError) as error:
        services.submit(inspection.pk, actor=cast.inspector_a)
    text = " ".join(error.value.messages)
    assert "S1.2 needs a photo" in text and "S1.6 is not answered" in text
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS and not Finding.objects.exists()


def test_failing_items_propose_findings_with_category_grade_text_and_photos(cast, inspection):
    answer_all(inspection, cast.inspector_a, **{"S1.2": "no", "S1.3": 8})
    services.save_answer(inspection.pk, "S1.2", "no", note="两瓶超期未检", actor=cast.inspector_a)
    inspection, _ = services.submit(inspection.pk, actor=cast.inspector_a)
    findings = {f.item_code: f for f in inspection.findings.all()}
    assert set(findings) == {"S1.2", "S1.3"}
    cylinder = findings["S1.2"]
    assert (cylinder.proposed_category, cylinder.proposed_grade) == ("gas_lpg", "major")
    assert cylinder.description == "两瓶超期未检" and cylinder.item_text_zh == "钢瓶是否在检验期内？"
    assert cylinder.clause == "TSG 23-2021 7.1" and cylinder.photos.count() == 1
    assert inspection.failed_count == 2 and inspection.score is not None


def test_submitting_twice_creates_nothing_more(cast, inspection):
    answer_all(inspection, cast.inspector_a, **{"S1.3": 9})
    first, now = services.submit(inspection.pk, actor=cast.inspector_a)
    second, again = services.submit(inspection.pk, actor=cast.inspector_a)
    assert now and not again
    assert Finding.objects.filter(inspection=inspection).count() == 1
    assert second.submitted_at == first.submitted_at
    with pytest.raises(ValidationError):
        services.save_answer(inspection.pk, "S1.3", 2, actor=cast.inspector_a)


def test_an_old_inspection_keeps_its_version_after_the_template_changes(cast, inspection, version, client):
    answer_all(inspection, cast.inspector_a)
    services.submit(inspection.pk, actor=cast.inspector_a)
    draft = checklist_services.start_draft(version.template_id, actor=cast.office)
    item = draft.items.get(code="S1.3")
    item.text_zh = "每间宿舍入住人数（新）"
    item.save()
    draft.items.get(code="S1.5").delete()
    checklist_services.publish_draft(draft.pk, actor=cast.office)
    assert version.template.latest_published().number == 2
    client.force_login(cast.inspector_a)
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert "宿舍每间人数" in page and "每间宿舍入住人数（新）" not in page
    inspection.refresh_from_db()
    assert inspection.template_version_id == version.pk


def test_photos_are_checked_by_content_and_size(cast, inspection, settings):
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        services.add_photo(inspection.pk, "S1.6", fake, actor=cast.inspector_a)
    assert error.value.code == "not_an_image"
    settings.MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (1024 * 1024 + 10), content_type="image/png")
    with pytest.raises(ValidationError) as error:
        services.add_photo(inspection.pk, "S1.6", big, actor=cast.inspector_a)
    assert error.value.code == "too_large"
    assert not Photo.objects.exists()


def test_sign_off_by_an_official_who_may_change_it(cast, inspection):
    answer_all(inspection, cast.inspector_a)
    services.submit(inspection.pk, actor=cast.inspector_a)
    with pytest.raises(PermissionDenied):
        services.sign_off(inspection.pk, actor=cast.official_a)
    signed = services.sign_off(inspection.pk, actor=cast.office, representative="刘强")
    assert signed.status == InspectionStatus.SIGNED_OFF and signed.enterprise_representative == "刘强"
