from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_link(context, key, label):
    """A column header that sorts by ``key``, toggling direction and keeping the filters."""
    request = context["request"]
    query = request.GET.copy()
    current = query.get("sort", "")
    query["sort"] = f"-{key}" if current == key else key
    query.pop("page", None)
    arrow = " ▲" if current == key else (" ▼" if current == f"-{key}" else "")
    return format_html('<a href="?{}">{}{}</a>', query.urlencode(), label, arrow)


@register.simple_tag(takes_context=True)
def page_query(context, page):
    query = context["request"].GET.copy()
    query["page"] = page
    return query.urlencode()


@register.filter
def get_item(mapping, key):
    """``{{ colours|get_item:obj.status }}``"""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def split_filters(form, count=6):
    """The first ``count`` filter fields, the others, and whether any of the others is in use
    (the "more filters" section then starts open)."""
    fields = list(form.visible_fields())
    extra = fields[count:]
    active = any(form.data.get(f.html_name) not in (None, "", "unknown") for f in extra) if form.is_bound else False
    return {"primary": fields[:count], "extra": extra, "extra_active": active, "hidden": form.hidden_fields()}
