import io
import json

import pytest

from lianqi.checklists import services
from lianqi.checklists.choices import VersionStatus
from lianqi.checklists.models import ChecklistTemplate, TemplateVersion

from .factories import make_version, sample

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(cast):
    """Messages are checked in English (the source language)."""
    from lianqi.accounts.models import User

    User.objects.update(language="en")


def test_only_the_command_office_edits_templates(client, cast):
    version = make_version()
    template = version.template
    for user, expected in ((cast.official_a, 403), (cast.inspector_a, 403), (cast.enterprise_user, 403)):
        client.force_login(user)
        assert client.post(f"/checklists/{template.pk}/edit/").status_code == expected
        assert client.get(f"/checklists/{template.pk}/").status_code == 200
    client.force_login(cast.outsider)
    assert client.get(f"/checklists/{template.pk}/").status_code == 404


def test_editing_opens_a_draft_copy_and_publishing_makes_a_new_version(client, cast):
    version = make_version()
    client.force_login(cast.office)
    assert client.post(f"/checklists/{version.template_id}/edit/").status_code == 302
    draft = TemplateVersion.objects.get(template=version.template, status=VersionStatus.DRAFT)
    assert draft.number == 2 and draft.items.count() == version.items.count()
    item = draft.items.get(code="S1.5")
    response = client.post(
        f"/checklists/{version.template_id}/v2/items/{item.pk}/",
        {"section": item.section_id, "code": "S1.5", "text_zh": "其他情况", "type": "text", "weight": 1},
    )
    assert response.status_code == 302
    # Reorder: move S1.5 above S1.4.
    client.post(f"/checklists/{version.template_id}/v2/item/{item.pk}/up/")
    assert [i.code for i in TemplateVersion.objects.get(pk=draft.pk).ordered_items()][3:5] == ["S1.5", "S1.4"]
    # Moving S1.2 above the item it depends on is refused.
    dependent = draft.items.get(code="S1.2")
    client.post(f"/checklists/{version.template_id}/v2/item/{dependent.pk}/up/")
    assert [i.code for i in TemplateVersion.objects.get(pk=draft.pk).ordered_items()][:2] == ["S1.1", "S1.2"]
    assert client.post(f"/checklists/{version.template_id}/v2/publish/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    # The old version is untouched.
    assert version.items.get(code="S1.5").text_zh == "备注"
    page = client.get(f"/checklists/{version.template_id}/?version=1")
    assert "备注" in page.content.decode()
    assert client.get(f"/checklists/{version.template_id}/?version=²").status_code == 200  # was a 500


def test_item_form_applies_the_import_rules(client, cast):
    version = make_version()
    draft = services.start_draft(version.template_id, actor=cast.office)
    section = draft.sections.get()
    client.force_login(cast.office)
    base = {"section": section.pk, "code": "S1.9", "text_zh": "压力", "type": "number", "weight": 1}
    response = client.post(
        f"/checklists/{version.template_id}/v2/items/new/", {**base, "min_value": 10, "max_value": 1}
    )
    assert response.status_code == 200 and "min is above max" in response.content.decode()
    response = client.post(f"/checklists/{version.template_id}/v2/items/new/", {**base, "code": "S1.1"})
    assert "used twice" in response.content.decode()
    response = client.post(
        f"/checklists/{version.template_id}/v2/items/new/",
        {**base, "show_if_item": "S1.1", "show_if_equals": "yes", "fail_rule": "gt", "fail_value": "1.6"},
    )
    assert response.status_code == 302
    item = draft.items.get(code="S1.9")
    assert item.show_if == {"item": "S1.1", "equals": "yes"} and item.fail_if == {"gt": 1.6}


def test_page_import_of_a_malformed_file_shows_the_problem_and_saves_nothing(client, cast):
    client.force_login(cast.office)
    upload = io.BytesIO(b'{"code": "broken", ')
    upload.name = "broken.json"
    response = client.post("/checklists/import/", {"file": upload})
    assert response.status_code == 400
    assert "not valid JSON" in response.content.decode()
    assert ChecklistTemplate.objects.count() == 0


def test_page_import_and_export_round_trip(client, cast):
    client.force_login(cast.office)
    upload = io.BytesIO(json.dumps(sample(), ensure_ascii=False).encode())
    upload.name = "t.json"
    assert client.post("/checklists/import/", {"file": upload}).status_code == 302
    template = ChecklistTemplate.objects.get(code="test-sample")
    response = client.get(f"/checklists/{template.pk}/v1/export.json")
    assert response["Content-Disposition"] == 'attachment; filename="test-sample-v1.json"'
    exported = json.loads(response.content)
    assert exported["code"] == "test-sample" and len(exported["sections"][0]["items"]) == 6


def test_preview_renders_conditions_hidden(client, cast):
    version = make_version()
    client.force_login(cast.inspector_a)
    page = client.get(f"/checklists/{version.template_id}/v1/preview/").content.decode()
    assert 'id="item-S1.2"' in page and 'data-show-if-item="S1.1"' in page


def test_api_list_export_and_import(cast, as_token):
    make_version()
    api = as_token(cast.inspector_a)
    listing = api.get("/api/v1/checklist-templates/")
    assert listing.status_code == 200 and listing.json()["count"] == 1
    pk = listing.json()["results"][0]["id"]
    assert api.get(f"/api/v1/checklist-templates/{pk}/export/").json()["code"] == "test-sample"
    assert api.get(f"/api/v1/checklist-templates/{pk}/export/", {"version": "1"}).json()["code"] == "test-sample"
    assert api.get(f"/api/v1/checklist-templates/{pk}/export/", {"version": "9"}).status_code == 404
    # "²" is a digit to str.isdigit() but not to int(): it was a 500 (also on the page).
    assert api.get(f"/api/v1/checklist-templates/{pk}/export/", {"version": "²"}).status_code == 200  # the latest
    assert api.post("/api/v1/checklist-templates/import/", sample(code="other"), format="json").status_code == 403
    office = as_token(cast.office)
    response = office.post("/api/v1/checklist-templates/import/", {"document": "{not json"}, format="json")
    assert response.status_code == 400 and "not valid JSON" in response.json()["errors"]["document"][0]["message"]
    bad = sample(code="other")
    bad["sections"][0]["items"][2]["max"] = -1
    response = office.post("/api/v1/checklist-templates/import/", bad, format="json")
    assert response.status_code == 400 and response.json()["errors"]["document"][0]["code"] == "invalid_template"
    assert not ChecklistTemplate.objects.filter(code="other").exists()
    assert office.post("/api/v1/checklist-templates/import/", sample(code="other"), format="json").status_code == 201
    assert as_token(cast.outsider).get("/api/v1/checklist-templates/").json()["count"] == 0
