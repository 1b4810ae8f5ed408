import json

import pytest
from django.core.exceptions import ValidationError

from lianqi.checklists.models import ChecklistItem, ChecklistTemplate, TemplateVersion
from lianqi.checklists.transfer import export_version, import_template, load_shipped, parse, shipped_files, validate

from .factories import make_version, sample

pytestmark = pytest.mark.django_db


def test_every_shipped_file_loads_and_exports_back_to_the_same_content():
    files = shipped_files()
    assert files, "shipped templates are missing"
    report = load_shipped()
    problems = [(path.name, problem) for path, _v, _c, problem in report if problem]
    assert problems == []
    for path, version, created, _ in report:
        assert created
        original = json.loads(path.read_text(encoding="utf-8"))
        exported = export_version(version)
        assert exported["code"] == original["code"] and exported["version"] == original["version"]
        assert [s["code"] for s in exported["sections"]] == [s["code"] for s in original["sections"]]
        # Export → import elsewhere → export gives the same document.
        ChecklistTemplate.objects.filter(pk=version.template_id).delete()
        again, _ = import_template(exported)
        assert export_version(again) == exported


def test_loading_the_shipped_files_twice_changes_nothing():
    load_shipped()
    versions = TemplateVersion.objects.count()
    report = load_shipped()
    assert all(not created and not problem for _p, _v, created, problem in report)
    assert TemplateVersion.objects.count() == versions


def test_a_new_version_number_adds_a_version_and_the_same_number_with_new_content_is_refused():
    make_version()
    changed = sample()
    changed["sections"][0]["items"][0]["text_zh"] = "改过的问题"
    with pytest.raises(ValidationError) as error:
        import_template(changed)
    assert error.value.code == "version_exists"
    changed["version"] = 2
    version, created = import_template(changed)
    assert created and version.number == 2
    assert ChecklistTemplate.objects.get(code="test-sample").versions.count() == 2


@pytest.mark.parametrize(
    "raw, fragment",
    [
        (b'{"code": "x", "version": 1,', "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
    ],
)
def test_malformed_files_are_refused_with_a_clear_message(raw, fragment):
    with pytest.raises(ValidationError) as error:
        parse(raw)
    assert fragment in error.value.messages[0]


def test_validation_lists_every_problem_with_its_place():
    bad = sample(kind="nonsense")
    items = bad["sections"][0]["items"]
    items[0]["type"] = "slider"
    items[1]["show_if"] = {"item": "S9.9", "equals": "yes"}
    items[2]["min"], items[2]["max"] = 10, 1
    items[3]["hazard"] = {"category": "aliens", "grade": "general"}
    items[4]["colour"] = "red"
    with pytest.raises(ValidationError) as error:
        validate(bad)
    text = "\n".join(error.value.messages)
    assert "kind" in text
    assert "sections[0].items[0] (S1.1): type must be one of" in text
    assert "S9.9" in text and "min is above max" in text and "aliens" in text and "colour" in text


def test_an_invalid_file_writes_nothing():
    bad = sample()
    bad["sections"][0]["items"][-1]["type"] = "video"
    with pytest.raises(ValidationError):
        import_template(bad)
    assert ChecklistTemplate.objects.count() == 0 and ChecklistItem.objects.count() == 0
