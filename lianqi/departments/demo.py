"""Departments named in the design, at city level and in each district."""

from lianqi.industries.models import Industry

from .choices import DepartmentKind
from .models import Department

CITY_DEPARTMENTS = [
    ("江川市安全生产委员会办公室", "Work Safety Committee Office", "安委办", DepartmentKind.COMPREHENSIVE, []),
    (
        "江川市疫情防控指挥部办公室",
        "Epidemic Prevention and Control Headquarters Office",
        "防控办",
        DepartmentKind.COMPREHENSIVE,
        [],
    ),
    ("江川市应急管理局", "Emergency Management Bureau", "应急局", DepartmentKind.SECTOR, ["B", "25", "26", "D"]),
    ("江川市卫生健康委员会", "Health Commission", "卫健委", DepartmentKind.SECTOR, ["Q"]),
    ("江川市发展和改革委员会", "Development and Reform Commission", "发改委", DepartmentKind.COMPREHENSIVE, []),
    (
        "江川市工业和信息化局",
        "Bureau of Industry and Information Technology",
        "工信局",
        DepartmentKind.SECTOR,
        ["C", "I"],
    ),
    ("江川市消防救援支队", "Fire and Rescue Detachment", "消防", DepartmentKind.COMPREHENSIVE, []),
    ("江川市市场监督管理局", "Market Supervision Administration", "市场监管局", DepartmentKind.SECTOR, ["14", "27"]),
    ("江川市人民政府督查室", "Government Supervision Office", "督查室", DepartmentKind.COMPREHENSIVE, []),
    (
        "江川市住房和城乡建设局",
        "Housing and Urban-Rural Development Bureau",
        "住建局",
        DepartmentKind.SECTOR,
        ["E", "K"],
    ),
    ("江川市交通运输局", "Transport Bureau", "交通局", DepartmentKind.SECTOR, ["G"]),
    ("江川市商务局", "Commerce Bureau", "商务局", DepartmentKind.SECTOR, ["F", "H"]),
    (
        "江川市人力资源和社会保障局",
        "Human Resources and Social Security Bureau",
        "人社局",
        DepartmentKind.COMPREHENSIVE,
        [],
    ),
    ("江川市农业农村局", "Agriculture and Rural Affairs Bureau", "农业农村局", DepartmentKind.SECTOR, ["A"]),
]
DISTRICT_DEPARTMENTS = [
    ("应急管理局", "Emergency Management Bureau", DepartmentKind.SECTOR, ["B", "25", "26", "D"]),
    ("卫生健康委员会", "Health Commission", DepartmentKind.SECTOR, ["Q"]),
    ("工业和信息化局", "Bureau of Industry and Information Technology", DepartmentKind.SECTOR, ["C", "I"]),
    ("市场监督管理局", "Market Supervision Administration", DepartmentKind.SECTOR, ["14", "27"]),
    ("发展和改革委员会", "Development and Reform Commission", DepartmentKind.COMPREHENSIVE, []),
]


def _department(name_zh, name_en, short, kind, jurisdiction, sectors):
    department, _ = Department.objects.update_or_create(
        jurisdiction=jurisdiction,
        name_zh=name_zh,
        defaults={"name_en": name_en, "short_name": short, "kind": kind},
    )
    known = list(Industry.objects.filter(code__in=sectors))
    department.sectors.set(known)
    return department


def seed(context):
    city = context.objects["city"]
    by_short = {}
    for name_zh, name_en, short, kind, sectors in CITY_DEPARTMENTS:
        by_short[short] = _department(name_zh, f"Jiangchuan {name_en}", short, kind, city, sectors)
    context.objects["city_departments"] = by_short
    context.objects["district_departments"] = {}
    for district in context.objects["districts"]:
        prefix = district.name_zh
        for name_zh, name_en, kind, sectors in DISTRICT_DEPARTMENTS:
            department = _department(
                f"{prefix}{name_zh}", f"{district.name_en} {name_en}", name_zh[:4], kind, district, sectors
            )
            context.objects["district_departments"][(district.code, name_zh)] = department
    context.log(f"Departments: {Department.objects.count()}.")
