"""A small template covering every item type, conditions, limits, photos and hazards."""

import copy

from lianqi.checklists.transfer import import_template

SAMPLE = {
    "code": "test-sample",
    "version": 1,
    "kind": "production_safety",
    "hazard_category": "fire",
    "name_zh": "测试检查表",
    "name_en": "Test checklist",
    "description_zh": "",
    "description_en": "",
    "references": ["GB 1-2020"],
    "sections": [
        {
            "code": "S1",
            "title_zh": "基本",
            "title_en": "Basics",
            "items": [
                {
                    "code": "S1.1",
                    "text_zh": "是否使用液化气？",
                    "text_en": "Is LPG used?",
                    "type": "yes_no_na",
                    "required": True,
                    "requires_photo": False,
                    "pass_answer": None,
                    "hazard": None,
                    "weight": 1,
                },
                {
                    "code": "S1.2",
                    "text_zh": "钢瓶是否在检验期内？",
                    "text_en": "Are cylinders within their inspection period?",
                    "type": "yes_no_na",
                    "required": True,
                    "requires_photo": True,
                    "pass_answer": "yes",
                    "show_if": {"item": "S1.1", "equals": "yes"},
                    "hazard": {"category": "gas_lpg", "grade": "major"},
                    "weight": 3,
                    "clause": "TSG 23-2021 7.1",
                },
                {
                    "code": "S1.3",
                    "text_zh": "宿舍每间人数",
                    "text_en": "People per dormitory room",
                    "type": "number",
                    "required": True,
                    "unit": "人",
                    "min": 0,
                    "max": 50,
                    "fail_if": {"gt": 6},
                    "hazard": {"category": "epidemic_prevention", "grade": "general"},
                    "weight": 2,
                },
                {
                    "code": "S1.4",
                    "text_zh": "灭火器类型",
                    "text_en": "Extinguisher types",
                    "type": "multi_choice",
                    "required": False,
                    "choices": [
                        {"value": "powder", "label_zh": "干粉", "label_en": "Powder"},
                        {"value": "co2", "label_zh": "二氧化碳", "label_en": "CO2"},
                        {"value": "none", "label_zh": "无", "label_en": "None"},
                    ],
                    "fail_if": {"in": ["none"]},
                    "hazard": {"category": "fire", "grade": "general"},
                },
                {"code": "S1.5", "text_zh": "备注", "text_en": "Remarks", "type": "text", "required": False},
                {"code": "S1.6", "text_zh": "现场照片", "text_en": "Site photo", "type": "photo", "required": True},
            ],
        }
    ],
}


def sample(**changes):
    data = copy.deepcopy(SAMPLE)
    data.update(changes)
    return data


def make_version(actor=None, **changes):
    version, _created = import_template(sample(**changes), actor=actor)
    return version
