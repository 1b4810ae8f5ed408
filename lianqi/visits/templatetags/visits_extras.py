from django import template

register = template.Library()


@register.filter
def bound(form, name):
    """``{{ form|bound:"title" }}``: the bound field of that name."""
    return form[name]


@register.filter
def at(sequence, index):
    """``{{ items|at:forloop.counter0 }}``: the item at ``index`` or None."""
    try:
        return sequence[int(index)]
    except (IndexError, TypeError, ValueError, KeyError):
        return None


@register.filter
def words(value):
    return str(value).split()
