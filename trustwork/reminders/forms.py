from django import forms

from trustwork.reminders.models import ReminderPreference, Timing
from trustwork.time_zones import TimeZoneField

TIME_ERRORS = {
    "invalid": "Enter a time between 00:00 and 23:59, such as 08:30.",
    "required": "Choose a time between 00:00 and 23:59.",
}


def _time_field(label, help_text="", required=True):
    return forms.TimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=["%H:%M", "%H:%M:%S"],
        error_messages=TIME_ERRORS,
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )


class ReminderPreferenceForm(forms.ModelForm):
    enabled = forms.BooleanField(label="Send me check-in reminders by email", required=False)
    timing = forms.ChoiceField(
        label="When should the first reminder come?", choices=Timing.choices, widget=forms.RadioSelect
    )
    remind_at = _time_field(
        "Time of day",
        "In your own time zone. Used for reminders on the check-in day, the gentle "
        "follow-up near the end of the week, and exercise nudges.",
    )
    time_zone = TimeZoneField(
        label="Your time zone",
        error_messages={"invalid_choice": "We don't know the time zone “%(value)s”. Choose one from the list."},
    )
    quiet_start = _time_field(
        "Quiet hours start",
        "Optional. Nothing arrives between the start and the end; a reminder due then waits until they finish.",
        required=False,
    )
    quiet_end = _time_field("Quiet hours end", required=False)
    exercise_nudges = forms.BooleanField(
        label="Also remind me, at most once a week, while I have an exercise I started and haven't finished",
        required=False,
    )

    class Meta:
        model = ReminderPreference
        fields = ["enabled", "timing", "remind_at", "quiet_start", "quiet_end", "exercise_nudges"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].initial = user.time_zone
        self.order_fields(
            ["enabled", "timing", "remind_at", "time_zone", "quiet_start", "quiet_end", "exercise_nudges"]
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("quiet_start"), cleaned.get("quiet_end")
        if "quiet_start" in self.errors or "quiet_end" in self.errors:
            return cleaned
        if (start is None) != (end is None):
            self.add_error(
                "quiet_end" if end is None else "quiet_start",
                "Give both a start and an end for quiet hours, or leave both empty.",
            )
        elif start is not None and start == end:
            self.add_error("quiet_end", "Quiet hours need an end that differs from their start.")
        return cleaned
