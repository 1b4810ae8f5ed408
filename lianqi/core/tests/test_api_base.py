import json

import pytest

pytestmark = pytest.mark.django_db


def test_api_root_lists_the_endpoints(as_token, cast):
    body = as_token(cast.office).get("/api/v1/").json()
    assert {"jurisdictions", "departments", "users"} <= set(body)
    assert body["jurisdictions"].endswith("/api/v1/jurisdictions/")


def test_schema_and_docs_are_served(client, cast):
    client.force_login(cast.office)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/jurisdictions/" in paths and "/api/v1/departments/{id}/" in paths
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    assert b"cdn" not in docs.content.lower()  # served locally for offline intranets


def test_pagination_and_filters(as_token, cast):
    client = as_token(cast.office)
    page = client.get("/api/v1/jurisdictions/", {"page_size": 2}).json()
    assert page["count"] == 5 and len(page["results"]) == 2 and page["next"]
    within = client.get("/api/v1/jurisdictions/", {"within": cast.district_a.pk}).json()
    assert {r["code"] for r in within["results"]} == {"419902", "419902001"}
    level = client.get("/api/v1/departments/", {"within": cast.district_b.pk}).json()
    assert [r["name_zh"] for r in level["results"]] == ["西山区应急管理局"]


def test_invalid_filter_value_is_a_field_error_not_a_500(as_token, cast):
    response = as_token(cast.office).get("/api/v1/jurisdictions/", {"level": "nine"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "level" in response.json()["errors"]


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "This field is required."), ("zh-hans", "该字段是必填项。")],
)
def test_api_validation_errors_are_per_field_with_codes_in_the_users_language(as_token, cast, language, message):
    cast.office.language = language  # the saved preference wins over the browser's Accept-Language
    cast.office.save(update_fields=["language"])
    response = as_token(cast.office).post(
        "/api/v1/departments/", {"name_en": "No Chinese name"}, format="json", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]["name_zh"] == [{"code": "required", "message": message}]
    assert body["errors"]["kind"][0]["code"] == "required"


def test_api_bad_choice_and_malformed_json(as_token, cast):
    client = as_token(cast.office)
    bad = client.post(
        "/api/v1/departments/", {"name_zh": "x", "kind": "bogus", "jurisdiction": cast.city.pk}, format="json"
    )
    assert bad.json()["errors"]["kind"][0]["code"] == "invalid_choice"
    malformed = client.generic("POST", "/api/v1/departments/", "{not json", content_type="application/json")
    assert malformed.status_code == 400
    assert malformed.json()["code"] == "parse_error"


def test_api_create_then_duplicate_name_is_rejected_and_nothing_written(as_token, cast):
    from lianqi.departments.models import Department

    client = as_token(cast.office)
    payload = {"name_zh": "江川市商务局", "kind": "sector", "jurisdiction": cast.city.pk, "sectors": ["F"]}
    created = client.post("/api/v1/departments/", payload, format="json")
    assert created.status_code in (201, 400)
    before = Department.objects.count()
    again = client.post("/api/v1/departments/", payload, format="json")
    assert again.status_code == 400
    assert Department.objects.count() == before


def test_api_create_is_403_for_roles_that_only_read(as_token, cast):
    response = as_token(cast.official_a).post(
        "/api/v1/departments/", {"name_zh": "x", "kind": "sector", "jurisdiction": cast.district_a.pk}, format="json"
    )
    assert response.status_code == 403


def test_unknown_api_url_is_json_404(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_health_endpoints(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["database"] == "ok"


def test_me_endpoint_updates_language_and_rejects_bad_values(as_token, cast):
    client = as_token(cast.official_a)
    assert client.patch("/api/v1/me/", {"language": "en"}, format="json").status_code == 200
    bad = client.patch("/api/v1/me/", {"language": "fr", "phone": "12"}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"language", "phone"}
    cast.official_a.refresh_from_db()
    assert cast.official_a.language == "en" and cast.official_a.phone == ""


def _error_schema_validator(schema):
    import jsonschema

    components = {"components": schema["components"]}
    return jsonschema.Draft202012Validator({**components, "$ref": "#/components/schemas/Error"})


def test_schema_documents_the_error_answers(client, cast, as_token):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    error = {"$ref": "#/components/schemas/Error"}
    detail = schema["paths"]["/api/v1/hazards/{id}/"]["get"]["responses"]
    assert {"401", "403", "404"} <= set(detail) and "400" not in detail  # no query, no body
    assert detail["404"]["content"]["application/json"]["schema"] == error
    create = schema["paths"]["/api/v1/hazards/"]["post"]["responses"]
    assert {"400", "403", "404", "409", "413", "415"} <= set(create)  # 404: an enterprise you cannot see
    me = schema["paths"]["/api/v1/me/"]["get"]["responses"]
    assert "404" not in me and "400" not in me
    listing = schema["paths"]["/api/v1/hazards/"]["get"]["responses"]
    assert {"400", "404"} <= set(listing)  # bad filter value; a page past the end
    # A status the view documents itself is kept; the error statuses are added beside it.
    extract = schema["paths"]["/api/v1/visits/extract/"]["post"]["responses"]
    assert extract["422"]["description"] == "no_visit_found / unreadable_input"
    assert (
        extract["422"]["content"]["application/json"]["schema"]
        == error
        == extract["400"]["content"]["application/json"]["schema"]
    )

    # Real error answers match the documented format; a malformed one would not.
    validator = _error_schema_validator(schema)
    office = as_token(cast.office)
    invalid = office.post("/api/v1/departments/", {"name_en": "x", "kind": "bogus"}, format="json")
    not_found = office.get("/api/v1/hazards/999999/")
    denied = as_token(cast.outsider).post("/api/v1/hazards/", {}, format="json")
    for response, status in ((invalid, 400), (not_found, 404), (denied, 403)):
        assert response.status_code == status
        validator.validate(response.json())
    assert not validator.is_valid({"detail": "Not found."})
    assert not validator.is_valid({"code": "invalid", "message": "x", "errors": {"name": ["plain string"]}})


@pytest.mark.parametrize(
    ("path", "field", "value", "code"),
    [
        ("/api/v1/departments/", "sectors", ["C26\x00"], "null_characters_not_allowed"),
        ("/api/v1/departments/", "sectors", ["C\ud80026"], "surrogate_characters_not_allowed"),
        ("/api/v1/enterprises/", "industry", "C\x0026", "null_characters_not_allowed"),
        ("/api/v1/inspections/", "template", "x\x00", "null_characters_not_allowed"),
    ],
)
def test_codes_no_column_can_hold_are_field_errors_not_a_500(as_token, cast, path, field, value, code):
    """Found by the API fuzzer: a NUL in a code looked up by SlugRelatedField was a DataError."""
    client = as_token(cast.office)
    client.raise_request_exception = False
    body = json.dumps({field: value})  # \u escapes: a lone surrogate is valid JSON, not valid UTF-8
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"][field]
    assert code in str(errors)
