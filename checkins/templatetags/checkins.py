"""Template helpers of the check-in pages."""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _attributes(attrs: dict) -> SafeString:
    """Attributes as django/forms/widgets/attrs.html writes them: False leaves
    one out, True writes its name alone, any other value is escaped. Django's
    flatatt does the same at about nine times the cost (a format_html for
    each attribute): 0.4 ms of CPU a page over the check-in form's twelve
    choice fields, more than the rest of this filter."""
    return mark_safe(  # noqa: S308 (the names are Django's and ours, every value is escaped)
        "".join(
            f" {name}" if value is True else f' {name}="{escape(str(value))}"'
            for name, value in attrs.items()
            if value is not False
        )
    )


@register.filter
def choice_options(field) -> dict:
    """What the radio buttons or checkboxes of a RadioSelect or
    CheckboxSelectMultiple field with flat choices are made of, for the loop
    in checkins/_choice_field.html that draws them: the markup of

        {% for option in field %}<label class="choice" for="{{ option.id_for_label }}">
        {{ option.tag }} <span>{{ option.choice_label }}</span></label>{% endfor %}

    (tests/test_checkins_choices.py holds the two equal) without a widget
    template render for each option: the check-in form has about seventy,
    and rendering them through the widget templates was most of the page's
    cost.

    The form stays the source of truth: the choices, the attributes Django
    adds (required, aria-invalid after an error) and the chosen values (what
    the person sent, shown again after a bad submission) all come from it.

    `attributes`: those every option of the field shares (type, name, the
    widget's own, required, aria-invalid), written once for the field rather
    than looped over in the template for each option. `options`:
    (value, label, id, checked) of each option, plain values the template
    escapes; tuples, which the template unpacks without a lookup each."""
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    chosen = set(widget.format_value(field.value()))
    shared = {"type": widget.input_type, "name": field.html_name}
    shared.update((name, value) for name, value in field.build_widget_attrs(widget.attrs).items() if name != "id")
    options = []
    for index, (value, label) in enumerate(field.field.choices):
        value = str(value)
        options.append((value, label, widget.id_for_label(id_, index) if id_ else "", value in chosen))
    return {"attributes": _attributes(shared), "options": options}
