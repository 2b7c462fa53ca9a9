from django import forms

from checkins.models import CSI_FIELDS, PULSE_FIELDS, REFLECTION_MAX_LENGTH, Emotion, Prompt
from trustwork.couples.models import Weekday
from trustwork.privacy import Visibility
from trustwork.time_zones import TimeZoneField

# The CSI-4, Funk and Rogge (2007), kept faithful to the published items.
CSI_QUESTIONS = {
    "csi_happiness": (
        "Please indicate the degree of happiness, all things considered, of your relationship.",
        [
            "Extremely unhappy",
            "Fairly unhappy",
            "A little unhappy",
            "Happy",
            "Very happy",
            "Extremely happy",
            "Perfect",
        ],
    ),
    "csi_warm": (
        "I have a warm and comfortable relationship with my partner.",
        [
            "Not at all true",
            "A little true",
            "Somewhat true",
            "Mostly true",
            "Almost completely true",
            "Completely true",
        ],
    ),
    "csi_rewarding": (
        "How rewarding is your relationship with your partner?",
        ["Not at all", "A little", "Somewhat", "Mostly", "Almost completely", "Completely"],
    ),
    "csi_satisfied": (
        "In general, how satisfied are you with your relationship?",
        ["Not at all", "A little", "Somewhat", "Mostly", "Almost completely", "Completely"],
    ),
}
PULSE_QUESTIONS = {
    "trust_partner": "I trust my partner",
    "felt_heard": "I felt heard",
    "actions_matched_words": "Their actions matched their words",
}
ANSWER_NEEDED = "Please choose an answer here."
NOT_ON_SCALE = "That answer isn't on this scale. Please choose one of the options shown."


def reflection_field_names(prompt: str) -> tuple[str, str]:
    return f"{prompt}_text", f"{prompt}_visibility"


class CheckInForm(forms.Form):
    """The weekly check-in. With draft=True nothing is required, so a half
    finished check-in can be kept as the person types."""

    week_start = forms.DateField(widget=forms.HiddenInput)

    def __init__(self, *args, draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft
        for name, (question, labels) in CSI_QUESTIONS.items():
            self.fields[name] = forms.TypedChoiceField(
                label=question,
                choices=[(index, f"{index} · {label}") for index, label in enumerate(labels)],
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                required=not draft,
                error_messages={"required": ANSWER_NEEDED, "invalid_choice": NOT_ON_SCALE},
            )
        for name, question in PULSE_QUESTIONS.items():
            self.fields[name] = forms.TypedChoiceField(
                label=question,
                choices=[(value, str(value)) for value in range(1, 11)],
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect(attrs={"class": "scale-option"}),
                required=not draft,
                help_text="1 means not at all, 10 means completely.",
                error_messages={"required": ANSWER_NEEDED, "invalid_choice": NOT_ON_SCALE},
            )
        self.fields["emotions"] = forms.MultipleChoiceField(
            label="Feelings I noticed this week",
            choices=Emotion.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text="Choose any that fit. None is fine too.",
            error_messages={
                "invalid_choice": "“%(value)s” isn't one of the feelings on the list. Please choose from the list."
            },
        )
        for prompt, label in Prompt.choices:
            text_name, visibility_name = reflection_field_names(prompt)
            self.fields[text_name] = forms.CharField(
                label=label,
                required=False,
                strip=False,
                max_length=REFLECTION_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={
                    "max_length": "Please keep this under 5,000 characters "
                    "(it has %(show_value)d now). Your text is still here to shorten."
                },
            )
            self.fields[visibility_name] = forms.ChoiceField(
                label="Who can read this answer",
                choices=Visibility.choices,
                initial=Visibility.PARTNER,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "visibility-option"}),
                error_messages={
                    "invalid_choice": "Please choose who can read this answer: only you, "
                    "you and your partner, or your partner and your therapist."
                },
            )

    def clean(self):
        cleaned = super().clean()
        for prompt in Prompt.values:
            _, visibility_name = reflection_field_names(prompt)
            if visibility_name in cleaned and not cleaned[visibility_name]:
                cleaned[visibility_name] = Visibility.PARTNER
        return cleaned

    def csi_fields(self):
        return [self[name] for name in CSI_FIELDS]

    def pulse_fields(self):
        return [self[name] for name in PULSE_FIELDS]

    def reflection_fields(self):
        return [tuple(self[name] for name in reflection_field_names(prompt)) for prompt in Prompt.values]

    def answers(self) -> dict:
        """The valid answers, ready for services.save_answers (drafts keep what is valid)."""
        data = getattr(self, "cleaned_data", {})
        answers = {name: data[name] for name in CSI_FIELDS + PULSE_FIELDS + ("emotions",) if name in data}
        reflections = {}
        for prompt in Prompt.values:
            text_name, visibility_name = reflection_field_names(prompt)
            if text_name in data and visibility_name in data:
                reflections[prompt] = (data[text_name], data[visibility_name])
        answers["reflections"] = reflections
        return answers


def initial_from(checkin) -> dict:
    """Form values from a saved check-in (a draft being continued)."""
    initial = {name: getattr(checkin, name) for name in CSI_FIELDS + PULSE_FIELDS}
    initial["emotions"] = list(checkin.emotions)
    for reflection in checkin.reflections.all():
        text_name, visibility_name = reflection_field_names(reflection.prompt)
        initial[text_name] = reflection.text
        initial[visibility_name] = reflection.visibility
    return initial


class RhythmForm(forms.Form):
    """The couple's check-in day, time and zone. It only checks them: the view
    saves them through trustwork.couples.services.set_rhythm, which moves the
    reminders too."""

    checkin_weekday = forms.TypedChoiceField(
        label="Check-in day", choices=Weekday.choices, coerce=int, help_text="Each check-in week starts on this day."
    )
    checkin_time = forms.TimeField(
        label="A good time to sit down together",
        help_text="In the time zone below, 24-hour clock, for example 19:00.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Please give a time such as 19:00."},
    )
    time_zone = TimeZoneField(
        label="Time zone of our check-in week",
        help_text="The week begins at midnight on the check-in day in this time zone.",
    )

    @classmethod
    def for_relationship(cls, relationship, data=None):
        initial = {
            "checkin_weekday": relationship.checkin_weekday,
            "checkin_time": relationship.checkin_time,
            "time_zone": relationship.time_zone,
        }
        return cls(data, initial=initial)
