"""Template helpers of the check-in pages."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def _attributes(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html: False leaves an attribute out, True writes its name alone.
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _text(label) -> str:
    return label.__html__() if hasattr(label, "__html__") else escape(str(label))


@register.filter
def choice_options(field):
    """The radio buttons or checkboxes of a RadioSelect or CheckboxSelectMultiple
    field with flat choices, each inside its label: the markup of

        {% for option in field %}<label class="choice" for="{{ option.id_for_label }}">
        {{ option.tag }} <span>{{ option.choice_label }}</span></label>{% endfor %}

    (tests/test_checkins_choices.py holds the two equal), built in one pass
    instead of one widget template render for each option. The check-in form
    has about seventy options; rendering them through the widget templates was
    most of the page's cost.

    The form stays the source of truth: the choices, the attributes Django
    adds (required, aria-invalid after an error) and the chosen values (what
    the person sent, shown again after a bad submission) all come from it."""
    widget = field.field.widget
    shared = _attributes(field.build_widget_attrs(widget.attrs))
    id_ = widget.attrs.get("id") or field.auto_id
    chosen = set(widget.format_value(field.value()))
    start = f'<input type="{widget.input_type}" name="{escape(field.html_name)}" value="'
    options = []
    for index, (value, label) in enumerate(field.field.choices):
        value = str(value)
        option_id = escape(widget.id_for_label(id_, index)) if id_ else ""
        id_attribute = f' id="{option_id}"' if id_ else ""
        checked = " checked" if value in chosen else ""
        options.append(
            f'<label class="choice" for="{option_id}">{start}{escape(value)}"{id_attribute}{shared}{checked}>'
            f" <span>{_text(label)}</span></label>"
        )
    return mark_safe("\n".join(options))  # noqa: S308 (every part escaped above)
