from django import template

register = template.Library()


@register.filter
def readable(value):
    """One exported value as plain words: lists joined, answers as "key: value" lines."""
    if value is None or value == "" or value == []:
        return "—"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, dict):
        return "\n".join(f"{key}: {readable(item)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(str(readable(item)) for item in value)
    return value


@register.filter
def is_rows(value):
    """True for a list of rows (a check-in's reflections), shown as nested fields."""
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)
