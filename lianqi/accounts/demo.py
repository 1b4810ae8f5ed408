"""Demo users, one per role, all with the password 'demo' (demo only)."""

from .choices import Role
from .models import Membership, User


def demo_user(context, username, display_name, memberships, *, superuser=False):
    user, _ = User.objects.get_or_create(username=username)
    user.display_name = display_name
    user.is_superuser = superuser
    user.is_staff = superuser
    user.set_password(context.password)
    user.save()
    user.memberships.all().delete()
    for membership in memberships:
        Membership.objects.create(user=user, **membership)
    return user


def seed(context):
    city = context.objects["city"]
    donghu = context.objects["districts"][0]
    departments = context.objects["city_departments"]
    donghu_street = context.objects["streets"][0]
    users = {
        "admin": demo_user(context, "admin", "系统管理员", [{"role": Role.ADMIN}], superuser=True),
        "leader": demo_user(
            context, "leader", "王市长", [{"role": Role.LEADER, "jurisdiction": city, "title": "市长"}]
        ),
        "office": demo_user(
            context, "office", "市安委办 李主任", [{"role": Role.OFFICE, "jurisdiction": city, "title": "安委办主任"}]
        ),
        "dept": demo_user(
            context,
            "dept",
            "应急管理局 张科长",
            [{"role": Role.DEPARTMENT, "department": departments["应急局"], "title": "安全生产执法科科长"}],
        ),
        "inspector": demo_user(
            context,
            "inspector",
            "网格员 赵敏",
            [{"role": Role.INSPECTOR, "jurisdiction": donghu_street, "title": "驻企指导员"}],
        ),
        "district_leader": demo_user(
            context,
            "district_leader",
            "东湖区 陈区长",
            [{"role": Role.LEADER, "jurisdiction": donghu, "title": "区长"}],
        ),
    }
    context.objects["users"] = users
    context.log(f"Demo officials: {', '.join(users)} (password '{context.password}').")
