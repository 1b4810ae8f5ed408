"""Form helpers: Bootstrap classes on every widget, so templates stay plain."""

from django import forms


def style_widgets(form: forms.BaseForm) -> forms.BaseForm:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
            css = "form-check-input"
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            css = "form-select"
        else:
            css = "form-control"
        existing = widget.attrs.get("class", "")
        if css not in existing.split():
            widget.attrs["class"] = f"{existing} {css}".strip()
        if isinstance(widget, forms.TextInput) and field.label and "placeholder" not in widget.attrs:
            widget.attrs["placeholder"] = str(field.label)
    return form


class StyledFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def add_errors(form, error) -> None:
    """Put a ValidationError raised by a service onto a form: field errors next to their fields
    (unknown fields at the top), codes kept."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def run_form_action(request, form, action, *, success, invalid=None) -> bool:
    """The small POST actions of detail pages: validate ``form``, call ``action(cleaned_data)``
    (a service function), and report the outcome as a flash message. A service's
    ValidationError becomes an error message; nothing else is caught."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    if not form.is_valid():
        messages.error(
            request,
            invalid
            or " ".join(
                f"{form.fields[f].label}: {' '.join(e)}" if f in form.fields else " ".join(e)
                for f, e in form.errors.items()
            ),
        )
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True
