"""Registration through the API: rules, idempotency, masking, scope and bad input."""

import datetime

import pytest
from django.utils import timezone

from lianqi.checkpoints.models import Alert, Entry, EntryAccessLog, Verification

from .conftest import ID_A, ID_B, PHONE_A, entry

pytestmark = pytest.mark.django_db


def test_guard_registers_an_entry_and_gets_it_back_masked(post_entry, checkpoint):
    response = post_entry(client_id="phone-1-0001")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["decision"] == "admitted"
    assert body["reasons"] == [] and body["reason"] == ""
    assert body["client_id"] == "phone-1-0001"
    assert body["id_number"] == ID_A[:4] + "*" * 10 + ID_A[-4:]
    assert body["phone"] == "138****5678"
    assert body["temperature"] == 36.5
    stored = Entry.objects.get()
    assert stored.checkpoint == checkpoint and stored.decision == "admitted"
    assert ID_A not in str(body) and PHONE_A not in str(body)


@pytest.mark.parametrize(
    ("temperature", "decision"), [(37.2, "admitted"), (37.3, "refused"), ("37.3", "refused"), (37.25, "refused")]
)
def test_threshold_at_exactly_37_3_refuses(post_entry, temperature, decision):
    body = post_entry(temperature=temperature).json()
    assert body["decision"] == decision
    assert ("fever" in body["reasons"]) is (decision == "refused")


def test_threshold_follows_the_setting(post_entry, settings):
    settings.FEVER_THRESHOLD = 37.5
    assert post_entry(temperature=37.4).json()["decision"] == "admitted"
    assert post_entry(temperature=37.5).json()["decision"] == "refused"


@pytest.mark.parametrize("temperature", [25, 45, 33.9, 42.6, "45.0"])
def test_out_of_range_temperatures_are_a_clear_error(post_entry, temperature):
    response = post_entry(temperature=temperature)
    assert response.status_code == 400
    error = response.json()["errors"]["temperature"][0]
    assert error["code"] == "temperature_range"
    assert "34.0" in error["message"] and "42.5" in error["message"]
    assert not Entry.objects.exists()


@pytest.mark.parametrize(("code", "reason"), [("yellow", "health_code"), ("red", "health_code")])
def test_non_green_code_refuses(post_entry, code, reason):
    body = post_entry(health_code=code).json()
    assert body["decision"] == "refused" and body["reasons"] == [reason]


def test_guard_may_refuse_for_another_reason_but_not_admit_against_the_rules(post_entry):
    body = post_entry(decision="refused", note="拒绝佩戴口罩").json()
    assert body["decision"] == "refused" and body["reasons"] == ["other"]
    body = post_entry(temperature=38.0, decision="admitted").json()
    assert body["decision"] == "refused" and body["reasons"] == ["fever"]


def test_resend_with_the_same_client_id_never_duplicates(post_entry):
    first = post_entry(client_id="abc-1")
    again = post_entry(client_id="abc-1")
    third = post_entry(client_id="abc-1", temperature=38.5)  # a resend is the stored entry, not an edit
    assert first.status_code == 201
    assert again.status_code == 200 and third.status_code == 200
    assert again.json() == first.json() == third.json()
    assert Entry.objects.count() == 1
    assert not Alert.objects.exists()


def test_same_client_id_at_another_checkpoint_is_a_different_entry(post_entry, checkpoint, guard, cast):
    from lianqi.checkpoints.models import Checkpoint, CheckpointGuard

    second = Checkpoint.objects.create(
        name="南门", kind="enterprise_gate", enterprise=cast.enterprise_a, jurisdiction=cast.street_a
    )
    CheckpointGuard.objects.create(checkpoint=second, user=guard)
    assert post_entry(client_id="x1").status_code == 201
    assert post_entry(client_id="x1", pk=second.pk).status_code == 201
    assert Entry.objects.count() == 2


def test_queued_entry_keeps_its_registration_time(post_entry):
    at = timezone.now() - datetime.timedelta(minutes=20)
    body = post_entry(client_id="q1", recorded_at=at.isoformat()).json()
    assert abs(datetime.datetime.fromisoformat(body["at"]) - at) < datetime.timedelta(seconds=1)
    response = post_entry(client_id="q2", recorded_at=(timezone.now() - datetime.timedelta(days=3)).isoformat())
    assert response.status_code == 400 and response.json()["errors"]["recorded_at"][0]["code"] == "recorded_at"


def test_returning_person_is_prefilled_and_may_omit_the_phone(post_entry, as_token, guard, checkpoint):
    post_entry()
    client = as_token(guard)
    response = client.post(
        f"/api/v1/checkpoints/{checkpoint.pk}/returning/", {"id_number": ID_A.lower()}, format="json"
    )
    assert response.status_code == 200
    person = response.json()["person"]
    assert person["name"] == "张伟" and person["phone_masked"] == "138****5678"
    assert client.post(
        f"/api/v1/checkpoints/{checkpoint.pk}/returning/", {"id_number": ID_B}, format="json"
    ).json() == {
        "found": False,
        "person": None,
    }
    body = post_entry(phone="").json()
    assert body["phone"] == "138****5678"
    new_person = post_entry(id_number=ID_B, phone="")
    assert new_person.status_code == 400 and new_person.json()["errors"]["phone"][0]["code"] == "required"


def test_get_lists_todays_entries_masked_and_logs_the_access(post_entry, as_token, guard, checkpoint, cast):
    post_entry()
    old = Entry.objects.create(
        checkpoint=checkpoint,
        at=timezone.now() - datetime.timedelta(days=2),
        name="李娜",
        id_masked="4201**********0001",
        id_hash="h",
        phone_masked="139****0000",
        phone_hash="p",
        health_code="green",
        temperature="36.4",
        decision="admitted",
    )
    for user, expected in ((guard, 1), (cast.office, 1), (cast.enterprise_user, 1)):
        response = as_token(user).get(f"/api/v1/checkpoints/{checkpoint.pk}/entries/")
        assert response.status_code == 200
        rows = response.json()["results"]
        assert len(rows) == expected and rows[0]["id_number"].count("*") == 10
        assert old.pk not in [r["id"] for r in rows]
    assert EntryAccessLog.objects.filter(action="api").count() == 3


def test_checkpoint_list_for_each_role(as_token, cast, guard, checkpoint, other_checkpoint):
    def names(user):
        response = as_token(user).get("/api/v1/checkpoints/")
        assert response.status_code == 200
        return sorted(c["name"] for c in response.json()["results"])

    assert names(guard) == [checkpoint.name]
    assert names(cast.office) == sorted([checkpoint.name, other_checkpoint.name])
    assert names(cast.official_a) == [checkpoint.name]
    assert names(cast.official_b) == [other_checkpoint.name]
    assert names(cast.enterprise_user) == [checkpoint.name]
    assert names(cast.outsider) == []


# --- bad input: a JSON error with a stable code each time, and nothing stored ------------------
@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({}, "name", "required"),
        (entry(name=""), "name", "required"),
        (entry(id_number=None), "id_number", "required"),
        (entry(id_number=410105199003071234), "id_number", "not_text"),
        (entry(id_number="410105900307123"), "id_number", "id_legacy"),
        (entry(id_number=ID_A[:17] + ("1" if ID_A[17] != "1" else "2")), "id_number", "id_checksum"),
        (entry(phone="12"), "phone", "phone_format"),
        (entry(health_code="blue"), "health_code", "invalid_choice"),
        (entry(health_code=1), "health_code", "invalid_choice"),
        (entry(temperature="hot"), "temperature", "temperature_invalid"),
        (entry(temperature=True), "temperature", "temperature_invalid"),
        (entry(temperature=[36.5]), "temperature", "temperature_invalid"),
        (entry(temperature="NaN"), "temperature", "temperature_invalid"),
        (entry(direction="sideways"), "direction", "invalid_choice"),
        (entry(name="名" * 51), "name", "too_long"),
        (entry(client_id="has spaces"), "client_id", "client_id"),
        ([entry()], "non_field_errors", "not_object"),
    ],
)
def test_bad_input_is_a_json_error_with_a_stable_code(post_entry, body, field, code):
    response = post_entry(body)
    assert response.status_code == 400
    payload = response.json()
    assert payload["code"] == "invalid"
    assert payload["errors"][field][0]["code"] == code
    assert ID_A not in response.content.decode()
    assert not Entry.objects.exists()


def test_malformed_json_and_wrong_content_type(as_token, guard, checkpoint):
    client = as_token(guard)
    url = f"/api/v1/checkpoints/{checkpoint.pk}/entries/"
    response = client.post(url, "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"
    response = client.post(url, "name=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"
    assert not Entry.objects.exists()


def test_huge_body_is_refused_before_parsing(post_entry):
    response = post_entry(entry(origin="x" * 20000))
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not Entry.objects.exists()


def test_checkpoint_the_guard_is_not_assigned_to_is_404(post_entry, other_checkpoint):
    response = post_entry(pk=other_checkpoint.pk)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert post_entry(pk=999999).status_code == 404
    assert not Entry.objects.exists()


@pytest.mark.parametrize("who", ["office", "official_a", "inspector_a", "enterprise_user"])
def test_a_token_of_another_role_is_403(as_token, cast, checkpoint, who):
    response = as_token(getattr(cast, who)).post(
        f"/api/v1/checkpoints/{checkpoint.pk}/entries/", entry(), format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Entry.objects.exists()


def test_outsiders_and_anonymous_learn_nothing(as_token, api_client, cast, checkpoint):
    assert (
        as_token(cast.official_b)
        .post(f"/api/v1/checkpoints/{checkpoint.pk}/entries/", entry(), format="json")
        .status_code
        == 404
    )
    assert as_token(cast.outsider).get(f"/api/v1/checkpoints/{checkpoint.pk}/entries/").status_code == 404
    response = api_client.post(f"/api/v1/checkpoints/{checkpoint.pk}/entries/", entry(), format="json")
    assert response.status_code in (401, 403) and "code" in response.json()
    assert not Entry.objects.exists()


def test_guard_sees_only_today(guard, checkpoint):
    Entry.objects.create(
        checkpoint=checkpoint,
        at=timezone.now() - datetime.timedelta(days=1, hours=1),
        name="昨天",
        id_masked="x",
        id_hash="h",
        phone_masked="p",
        phone_hash="p",
        health_code="green",
        temperature="36.5",
        decision="admitted",
    )
    assert not Entry.objects.visible_to(guard).exists()


# --- alerts ---------------------------------------------------------------------------------
def test_fever_raises_an_alert_to_the_owner_and_grid_member_in_app_and_by_sms(post_entry, cast, guard, on_commit_now):
    from lianqi.notifications.models import Notification

    cast.enterprise_user.phone = "13700000001"
    cast.enterprise_user.save()
    body = post_entry(temperature=38.2, name="王芳").json()
    assert body["decision"] == "refused"
    alert = Alert.objects.get()
    assert alert.person == "王*" and alert.reason_list == ["fever"] and alert.status == "open"
    notes = Notification.objects.filter(event__kind="checkpoint.alert")
    assert set(notes.filter(channel="inapp").values_list("recipient__username", flat=True)) == {
        "enterprise_user",
        "inspector_a",
    }
    assert notes.filter(channel="sms", recipient=cast.enterprise_user, status="sent").exists()
    title = notes.filter(channel="inapp").first().title
    assert "王*" in title and "王芳" not in title


def test_village_entrance_alert_goes_to_the_office(as_token, cast, other_checkpoint, on_commit_now):
    from lianqi.accounts.choices import Role
    from lianqi.accounts.tests.factories import MembershipFactory, UserFactory
    from lianqi.checkpoints.models import CheckpointGuard
    from lianqi.notifications.models import Notification

    guard_b = UserFactory(username="guard_b")
    MembershipFactory(user=guard_b, role=Role.GUARD)
    CheckpointGuard.objects.create(checkpoint=other_checkpoint, user=guard_b)
    as_token(guard_b).post(
        f"/api/v1/checkpoints/{other_checkpoint.pk}/entries/", entry(health_code="red"), format="json"
    )
    recipients = set(
        Notification.objects.filter(event__kind="checkpoint.alert", channel="inapp").values_list(
            "recipient__username", flat=True
        )
    )
    assert recipients == {"office"}


def test_follow_up_closes_the_alert_and_is_refused_to_readers(post_entry, as_token, cast):
    post_entry(temperature=38.0)
    alert = Alert.objects.get()
    url = f"/api/v1/checkpoint-alerts/{alert.pk}/follow-ups/"
    assert as_token(cast.official_a).post(url, {"action": "sent_to_clinic"}, format="json").status_code == 403
    assert as_token(cast.official_b).post(url, {"action": "sent_to_clinic"}, format="json").status_code == 404
    response = as_token(cast.inspector_a).post(url, {"action": "rechecked", "note": "复测37.9"}, format="json")
    assert response.status_code == 201
    alert.refresh_from_db()
    assert alert.status == "open"
    as_token(cast.enterprise_user).post(url, {"action": "sent_to_clinic", "note": "送发热门诊"}, format="json")
    alert.refresh_from_db()
    assert alert.status == "closed" and alert.follow_ups.count() == 2


def test_admitted_entries_write_one_row_in_few_queries(post_entry, django_assert_max_num_queries):
    post_entry()  # warm caches (content types, …)
    # As the guard page sends it: a client id and the time of registration.
    recorded_at = timezone.now().isoformat()
    with django_assert_max_num_queries(5):  # token, checkpoint + guard + key persons, INSERT (+ a savepoint in tests)
        assert post_entry(id_number=ID_B, client_id="q-1", recorded_at=recorded_at).status_code == 201
    assert not Verification.objects.exists()
