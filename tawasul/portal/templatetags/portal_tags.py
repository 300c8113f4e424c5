"""Display helpers for the portal templates."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField

register = template.Library()


@register.filter
def error_fields(form: forms.Form | None) -> list[BoundField]:
    """The visible fields of ``form`` that have errors, in the form's order."""
    if form is None or not hasattr(form, "visible_fields"):
        return []
    return [field for field in form.visible_fields() if field.errors]


@register.filter
def field_anchor(field: BoundField) -> str:
    """The id of the element a link to ``field`` should reach.

    A radio group has no element with the field's own id (each choice is ``<id>_<n>``), so
    its link goes to the first choice.
    """
    return field.id_for_label or f"{field.auto_id}_0"
