"""Pages: scope, the guard page, self-registration, the poster, exports, access log, home cards."""

import subprocess

import pytest

from lianqi.checkpoints.models import Alert, Entry, EntryAccessLog

from .conftest import ID_A, PHONE_A, entry

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def test_checkpoint_pages_follow_scope(client, cast, checkpoint, other_checkpoint):
    signed_in(client, cast.official_a)
    page = client.get("/checkpoints/")
    assert page.status_code == 200 and checkpoint.name in page.content.decode()
    assert other_checkpoint.name not in page.content.decode()
    assert client.get(f"/checkpoints/{checkpoint.pk}/").status_code == 200
    assert client.get(f"/checkpoints/{other_checkpoint.pk}/").status_code == 404
    assert client.get(f"/checkpoints/{checkpoint.pk}/guard/").status_code == 403  # sees it, not its guard


def test_detail_shows_the_qr_code(client, cast, checkpoint):
    page = signed_in(client, cast.enterprise_user).get(f"/checkpoints/{checkpoint.pk}/").content.decode()
    assert "<svg" in page and 'data-testid="qr"' in page


def test_poster_is_an_a4_pdf_with_the_instructions_in_both_languages(client, cast, checkpoint, tmp_path):
    response = signed_in(client, cast.enterprise_user).get(f"/checkpoints/{checkpoint.pk}/poster.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    assert "查码" in text and "测温" in text and "登记" in text
    assert "请用手机扫码自助登记" in text
    assert "Scan to register yourself" in text
    assert checkpoint.name in text
    assert "37.3" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    assert "595.276 x 841.89" in info or "A4" in info
    assert "Pages:           1" in info
    from lianqi.core.tests.browser import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(SCREENSHOTS / "checkpoint-poster")],  # noqa: S607
        check=True,
    )


def test_qr_code_encodes_the_self_registration_link(checkpoint):
    from lianqi.checkpoints.poster import qr_svg

    svg = qr_svg(checkpoint)
    assert svg.startswith("<svg") and "path" in svg
    assert checkpoint.public_token in checkpoint.self_registration_url()


def test_guard_page_for_the_guard(client, guard, checkpoint, post_entry):
    post_entry()
    page = signed_in(client, guard).get(f"/checkpoints/{checkpoint.pk}/guard/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "guard.js" in html and 'id="entry-form"' in html and "张伟" in html
    assert ID_A not in html and PHONE_A not in html
    # A person's name is 姓名 (名称 is the name of a thing: a checkpoint, a list).
    assert '<label class="form-label required" for="f-name">姓名</label>' in html
    assert client.get("/checkpoints/mine/").url == f"/checkpoints/{checkpoint.pk}/guard/"
    assert EntryAccessLog.objects.filter(user=guard, action="view").exists()


def test_self_registration_then_guard_confirms(client, checkpoint, guard, cast, on_commit_now):
    url = f"/checkpoints/c/{checkpoint.public_token}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {**entry(health_code="green"), "direction": "in"})
    assert response.status_code == 200
    pending = Entry.objects.get()
    assert pending.status == "pending" and pending.pickup_code in response.content.decode()
    bad = client.post(url, {**entry(id_number="410105900307123"), "direction": "in"})
    assert bad.status_code == 400 and 'data-field="id_number"' in bad.content.decode()

    signed_in(client, guard)
    page = client.get(f"/checkpoints/{checkpoint.pk}/guard/").content.decode()
    assert pending.pickup_code in page
    client.post(f"/checkpoints/{checkpoint.pk}/confirm/{pending.pk}/", {"temperature": "37.6"})
    pending.refresh_from_db()
    assert pending.status == "confirmed" and pending.decision == "refused" and pending.reasons == "fever"
    assert Alert.objects.filter(entry=pending).exists()
    client.post(f"/checkpoints/{checkpoint.pk}/confirm/{pending.pk}/", {"temperature": "36.5"})  # only once
    pending.refresh_from_db()
    assert pending.decision == "refused"


def test_self_registration_is_rate_limited(client, checkpoint, settings):
    settings.CHECKPOINT_SELF_REGISTRATION_LIMIT = 2
    url = f"/checkpoints/c/{checkpoint.public_token}/"
    codes = [client.post(url, {**entry(), "direction": "in"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert Entry.objects.count() == 2
    assert client.get("/checkpoints/c/not-a-token/").status_code == 404


def test_only_the_office_exports_and_every_view_and_export_is_logged(client, cast, post_entry):
    post_entry()
    signed_in(client, cast.official_a)
    assert client.get("/checkpoints/entries/").status_code == 200
    assert client.get("/checkpoints/entries/?export=xlsx").status_code == 403
    assert client.get("/checkpoints/access-log/").status_code == 403
    signed_in(client, cast.office)
    response = client.get("/checkpoints/entries/?export=csv")
    assert response.status_code == 200
    csv = b"".join(response.streaming_content).decode()
    assert "张伟" in csv and ID_A not in csv and ID_A[:4] + "*" * 10 in csv
    log = list(EntryAccessLog.objects.order_by("at").values_list("user__username", "action", "rows"))
    assert ("official_a", "view", 1) in log and ("office", "export", 1) in log
    page = client.get("/checkpoints/access-log/").content.decode()
    assert "official_a" in page or "用户" in page


def test_entry_list_hides_other_districts(client, cast, post_entry):
    post_entry()
    page = signed_in(client, cast.official_b).get("/checkpoints/entries/").content.decode()
    assert "张伟" not in page


def test_alert_page_and_follow_up_form(client, cast, post_entry):
    post_entry(temperature=38.1)
    alert = Alert.objects.get()
    assert signed_in(client, cast.official_b).get(f"/checkpoints/alerts/{alert.pk}/").status_code == 404
    assert (
        signed_in(client, cast.official_a).post(f"/checkpoints/alerts/{alert.pk}/", {"action": "cleared"}).status_code
        == 403
    )
    signed_in(client, cast.enterprise_user)
    response = client.post(f"/checkpoints/alerts/{alert.pk}/", {"action": "sent_to_clinic", "note": "已送发热门诊"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "closed"
    assert "已送发热门诊" in client.get(f"/checkpoints/alerts/{alert.pk}/").content.decode()


def test_home_cards(client, cast, guard, checkpoint, post_entry):
    post_entry()
    post_entry(id_number=ID_A, temperature=38.0, client_id="f1")
    guard_home = signed_in(client, guard).get("/").content.decode()
    assert 'data-testid="guard-card"' in guard_home and checkpoint.name in guard_home
    office_home = signed_in(client, cast.office).get("/").content.decode()
    assert 'data-testid="alerts-card"' in office_home
    leader_home = signed_in(client, cast.official_b).get("/").content.decode()
    assert 'data-testid="alerts-card"' in leader_home
    inspector_home = signed_in(client, cast.inspector_a).get("/").content.decode()
    assert "guard-card" not in inspector_home


def test_key_person_page_upload(client, cast, post_entry):
    from .test_keypersons import xlsx

    post_entry()
    signed_in(client, cast.office)
    response = client.post(
        "/checkpoints/key-persons/",
        {"name": "第5批", "jurisdiction": cast.city.pk, "source_note": "省指挥部", "file": xlsx([("赵敏", ID_A, "")])},
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "第5批" in response.content.decode()
    verifications = signed_in(client, cast.inspector_a).get("/checkpoints/verifications/").content.decode()
    assert ID_A[:4] + "*" * 10 in verifications
    assert signed_in(client, cast.official_a).post("/checkpoints/key-persons/", {}).status_code == 403


def test_list_pages_query_count_does_not_grow(client, cast, post_entry, django_assert_max_num_queries):
    for n in range(5):
        post_entry(client_id=f"n{n}", temperature=38 if n % 2 else 36.5)
    signed_in(client, cast.office)
    client.get("/checkpoints/entries/")
    with django_assert_max_num_queries(14):
        assert client.get("/checkpoints/entries/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get("/checkpoints/alerts/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get("/checkpoints/").status_code == 200
