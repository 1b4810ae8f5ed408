"""Demo checkpoints: the flagship enterprise's north gate (guarded by the demo ``guard``), a
community's small door and a building site's gate; today's entries with a fever and a yellow
code refused and alerted, one followed up; a key-person list that matches one retained entry.

Idempotent: checkpoints are keyed by name, entries by client id, the list by its name. The ID
numbers are generated with valid check digits in the demo city's fictional region 419902."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lianqi.jurisdictions.models import Jurisdiction

from . import keypersons, services
from .choices import CheckpointKind
from .models import Alert, Checkpoint, CheckpointGuard, KeyPersonList
from .personal import make_id_number

PEOPLE = [
    ("刘强", "in", 36.4, "green", "东湖区"),
    ("陈静", "in", 36.7, "green", "西山区"),
    ("杨洋", "in", 36.5, "green", "郑州市"),
    ("赵磊", "in", 36.6, "green", "东湖区"),
    ("黄敏", "out", 36.3, "green", ""),
    ("周杰", "in", 38.1, "green", "开封市"),  # fever: refused, alert, sent to the clinic
    ("吴涛", "in", 36.8, "green", "东湖区"),
    ("徐艳", "in", 36.5, "yellow", "信阳市"),  # yellow code: refused, alert open
    ("孙明", "in", 36.2, "green", "西山区"),
    ("马军", "out", 36.4, "green", ""),
    ("朱芳", "in", 36.9, "green", "东湖区"),
    ("胡勇", "in", 36.6, "green", "洛阳市"),
]


def _person(index):
    return make_id_number("419902", f"19{70 + index % 25:02d}0{1 + index % 9}1{index % 10}", 100 + index)


def seed(context):
    users = context.objects["users"]
    flagship = context.objects["flagship_enterprise"]
    street = context.objects["streets"][0]
    community = Jurisdiction.objects.filter(parent=street).order_by("code").first() or street
    gate, _ = Checkpoint.objects.update_or_create(
        name="江川华兴化工 北门",
        defaults={
            "kind": CheckpointKind.ENTERPRISE_GATE,
            "enterprise": flagship,
            "jurisdiction": flagship.jurisdiction,
            "address": "临港路88号 北门",
            "opens_at": datetime.time(6, 0),
            "closes_at": datetime.time(22, 0),
        },
    )
    Checkpoint.objects.update_or_create(
        name=f"{community.name_zh} 东门（小门）",
        defaults={"kind": CheckpointKind.COMMUNITY_ENTRANCE, "jurisdiction": community, "address": "幸福路12号"},
    )
    Checkpoint.objects.update_or_create(
        name="临港路综合管廊 工地1号门",
        defaults={"kind": CheckpointKind.SITE, "jurisdiction": street, "address": "临港路与纬一路交叉口"},
    )
    guard = users["guard"]
    CheckpointGuard.objects.get_or_create(checkpoint=gate, user=guard)

    # Today's entries at the gate, a few minutes apart from 07:30.
    start = timezone.localtime().replace(hour=7, minute=30, second=0, microsecond=0)
    now = timezone.now()
    day = timezone.localdate().isoformat()
    for index, (name, direction, temperature, code, origin) in enumerate(PEOPLE):
        at = min(start + datetime.timedelta(minutes=9 * index), now)
        services.register_entry(
            gate,
            actor=guard,
            data={
                "name": name,
                "id_number": _person(index),
                "phone": f"139{index:04d}{5678 + index:04d}"[:11],
                "health_code": code,
                "temperature": temperature,
                "direction": direction,
                "origin": origin,
                "client_id": f"demo-{day}-{index}",
                "recorded_at": at.isoformat(),
            },
        )
    fever = Alert.objects.filter(checkpoint=gate, reasons="fever", status="open").first()
    if fever is not None and users.get("enterprise"):
        services.add_follow_up(
            fever, actor=users["enterprise"], action="sent_to_clinic", note="由厂医陪同送东湖区人民医院发热门诊"
        )

    # A list pushed from the province naming one of this morning's visitors.
    name = "省疫情防控指挥部推送 重点人员名单（第12批）"
    if not KeyPersonList.objects.filter(name=name).exists():
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["姓名", "身份证号", "类别"])
        sheet.append(["杨洋", _person(2), "重点地区返回人员"])
        sheet.append(["（名单外）", make_id_number("420102", "19800101", 7), "密切接触者"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        keypersons.import_list(
            actor=users["office"],
            upload=SimpleUploadedFile("名单.xlsx", buffer.getvalue()),
            name=name,
            jurisdiction=context.objects["city"],
            source_note="省指挥部",
        )
    context.log(f"Checkpoints: {Checkpoint.objects.count()}; the demo guard is at {gate.name}.")
