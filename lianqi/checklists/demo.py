"""The shipped checklist templates, loaded the same way as in production."""

from .transfer import load_shipped


def seed(context):
    loaded = 0
    for path, version, _created, problem in load_shipped():
        if problem:
            context.log(f"Checklist {path.name} not loaded: {problem}")
            continue
        loaded += 1
        context.objects.setdefault("checklists", {})[version.template.code] = version
    context.log(f"Checklist templates: {loaded} shipped.")
