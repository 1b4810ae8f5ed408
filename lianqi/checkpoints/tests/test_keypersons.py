"""Key-person lists: hashed at import, matched against new entries and retained ones; each hit a
same-day verification for the grid member, with reminders through the deadline mechanism."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lianqi.checkpoints import keypersons, services
from lianqi.checkpoints.models import Alert, Entry, KeyPerson, KeyPersonList, Verification

from .conftest import ID_A, ID_B

pytestmark = pytest.mark.django_db


def xlsx(rows, header=("姓名", "身份证号", "类别")) -> SimpleUploadedFile:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("重点人员.xlsx", buffer.getvalue(), content_type="application/octet-stream")


@pytest.fixture
def upload(cast):
    def run(rows, **kwargs):
        return keypersons.import_list(
            actor=cast.office, upload=xlsx(rows), name="省指挥部推送 第3批", jurisdiction=cast.city, **kwargs
        )

    return run


def test_import_hashes_and_discards_raw_values(upload):
    result = upload([("赵敏", ID_A, "来自重点地区"), ("钱某", ID_A.lower(), "重复"), ("孙某", "410105900307123", "")])
    assert result.key_list.row_count == 1
    from lianqi.checkpoints.personal import ID_MESSAGES

    assert result.skipped == [(4, str(ID_MESSAGES["id_legacy"]))]
    person = KeyPerson.objects.get()
    assert person.name_masked == "赵*" and person.id_masked == ID_A[:4] + "*" * 10 + ID_A[-4:]
    assert person.category == "来自重点地区"
    assert ID_A not in str(list(KeyPerson.objects.values_list()))
    assert "赵敏" not in str(list(KeyPerson.objects.values_list()))


def test_a_new_entry_of_a_key_person_is_refused_and_becomes_a_verification(upload, post_entry, cast, on_commit_now):
    from lianqi.notifications.models import Notification

    upload([("赵敏", ID_A, "密接")])
    body = post_entry().json()
    assert body["decision"] == "refused" and body["reasons"] == ["key_person"]
    assert body["key_person_match"] is True
    verification = Verification.objects.get()
    assert verification.deadline == timezone.localdate() and not verification.retroactive
    assert verification.jurisdiction == cast.street_a
    assert Alert.objects.get().reason_list == ["key_person"]
    assert Notification.objects.filter(event__kind="keyperson.hit", recipient=cast.inspector_a).exists()
    assert post_entry(id_number=ID_B).json()["decision"] == "admitted"


def test_import_matches_retained_entries_retroactively(upload, post_entry, cast, on_commit_now):
    post_entry()  # admitted: nobody was on a list yet
    post_entry(id_number=ID_B, phone="13998765432")
    result = upload([("赵敏", ID_A, "")])
    assert result.retro_hits == 1
    verification = Verification.objects.get()
    assert (
        verification.retroactive
        and verification.entry.id_hash == Entry.objects.get(id_masked__startswith="4101").id_hash
    )
    assert Entry.objects.filter(key_person_match=True).count() == 1
    # Importing the same people again opens nothing new for the same entry and list member.
    assert services.match_retained_entries(result.key_list, list(result.key_list.people.all())) == 0


def test_a_list_applies_only_within_its_area(post_entry, cast):
    keypersons.import_list(
        actor=cast.office, upload=xlsx([("x", ID_A, "")]), name="西山区名单", jurisdiction=cast.district_b
    )
    assert post_entry().json()["decision"] == "admitted"


def test_only_the_office_uploads(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        keypersons.import_list(
            actor=cast.official_a, upload=xlsx([("x", ID_A, "")]), name="n", jurisdiction=cast.district_a
        )


def test_unreadable_or_columnless_files(cast):
    from django.core.exceptions import ValidationError

    bad = SimpleUploadedFile("x.xlsx", b"not a workbook")
    with pytest.raises(ValidationError) as caught:
        keypersons.import_list(actor=cast.office, upload=bad, name="n", jurisdiction=cast.city)
    assert caught.value.code == "file_content"  # refused by content before openpyxl opens it
    with pytest.raises(ValidationError) as caught:
        keypersons.import_list(
            actor=cast.office, upload=xlsx([("x", "y")], header=("姓名", "地址")), name="n", jurisdiction=cast.city
        )
    assert caught.value.code == "no_id_column"


def test_upload_through_the_api(as_token, cast, post_entry):
    post_entry()
    response = as_token(cast.office).post(
        "/api/v1/key-person-lists/",
        {"name": "第4批", "jurisdiction": cast.city.pk, "file": xlsx([("赵敏", ID_A, "")])},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["retro_hits"] == 1 and ID_A not in response.content.decode()
    denied = as_token(cast.inspector_a).post(
        "/api/v1/key-person-lists/",
        {"name": "x", "jurisdiction": cast.city.pk, "file": xlsx([("x", ID_A, "")])},
        format="multipart",
    )
    assert denied.status_code == 403 and KeyPersonList.objects.count() == 1


def test_verification_is_answered_by_the_grid_member(upload, post_entry, cast, as_token):
    upload([("赵敏", ID_A, "")])
    post_entry()
    verification = Verification.objects.get()
    url = f"/api/v1/key-person-verifications/{verification.pk}/verify/"
    assert as_token(cast.official_a).post(url, {"result": "controlled"}, format="json").status_code == 403
    assert as_token(cast.official_b).post(url, {"result": "controlled"}, format="json").status_code == 404
    response = as_token(cast.inspector_a).post(url, {"result": "controlled", "note": "已落实居家隔离"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    again = as_token(cast.inspector_a).post(url, {"result": "cleared"}, format="json")
    assert again.status_code == 400


def test_unanswered_verification_is_reminded_then_escalated(upload, post_entry, cast, on_commit_now, time_machine):
    from lianqi.notifications.deadlines import check_deadlines
    from lianqi.notifications.models import Event

    time_machine.move_to(timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0)), tick=False)
    upload([("赵敏", ID_A, "")])
    post_entry()
    check_deadlines()
    assert Event.objects.filter(kind="keyperson.reminder").count() == 1
    time_machine.move_to(timezone.make_aware(datetime.datetime(2026, 3, 5, 9, 0)), tick=False)
    check_deadlines()
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {"keyperson.overdue", "keyperson.escalation1"} <= kinds
