"""Demo city 江川市 (Jiangchuan, a fictional prefecture-level city) with four districts."""

from .choices import Level
from .models import Jurisdiction

CITY = ("419900", "江川市", "Jiangchuan City")
DISTRICTS = [
    (
        "419902",
        "东湖区",
        "Donghu District",
        [("东湖街道", "Donghu Street"), ("临江街道", "Linjiang Street"), ("花园路街道", "Huayuanlu Street")],
    ),
    (
        "419903",
        "西山区",
        "Xishan District",
        [("西山街道", "Xishan Street"), ("金桥街道", "Jinqiao Street"), ("石门镇", "Shimen Town")],
    ),
    (
        "419971",
        "江川高新技术产业开发区",
        "Jiangchuan High-tech Zone",
        [("创新街道", "Chuangxin Street"), ("科学城街道", "Science City Street")],
    ),
    (
        "419921",
        "江北县",
        "Jiangbei County",
        [("城关镇", "Chengguan Town"), ("柳河镇", "Liuhe Town"), ("青石乡", "Qingshi Township")],
    ),
]
COMMUNITIES = [("第一社区", "No. 1 Community"), ("和平社区", "Heping Community"), ("新村", "Xincun Village")]
GRIDS_PER_COMMUNITY = 2


def _node(code, name_zh, name_en, level, parent):
    node, _ = Jurisdiction.objects.update_or_create(
        code=code, defaults={"name_zh": name_zh, "name_en": name_en, "level": level, "parent": parent}
    )
    return node


def seed(context):
    city = _node(*CITY, Level.CITY, None)
    context.objects["city"] = city
    context.objects["districts"] = []
    context.objects["streets"] = []
    context.objects["grids"] = []
    for code, name_zh, name_en, streets in DISTRICTS:
        district = _node(code, name_zh, name_en, Level.DISTRICT, city)
        context.objects["districts"].append(district)
        for s, (street_zh, street_en) in enumerate(streets, start=1):
            street = _node(f"{code}{s:03d}", street_zh, street_en, Level.STREET, district)
            context.objects["streets"].append(street)
            for c, (community_zh, community_en) in enumerate(COMMUNITIES, start=1):
                community = _node(
                    f"{street.code}{c:03d}",
                    f"{street_zh}{community_zh}",
                    f"{community_en}, {street_en}",
                    Level.COMMUNITY,
                    street,
                )
                for g in range(1, GRIDS_PER_COMMUNITY + 1):
                    grid = _node(
                        f"{community.code}-G{g:02d}",
                        f"{community.name_zh}第{g}网格",
                        f"Grid {g}, {community.name_en}",
                        Level.GRID,
                        community,
                    )
                    context.objects["grids"].append(grid)
    context.log(f"Jurisdictions: {Jurisdiction.objects.count()} nodes under {city}.")
