import datetime

from django import forms

from exercises.models import AgreementKind, LogStatus, StepKind
from trustwork.couples.models import Weekday


def _too_long(limit):
    return (
        f"Please keep this to {limit} characters or fewer (you wrote %(show_value)d). "
        "Your words are still in the box, so nothing is lost."
    )


def _text_field(label, limit, **kwargs):
    return forms.CharField(
        label=label,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Write a few words before you save, or go back to the exercise and return later.",
            "max_length": _too_long(limit),
        },
        **kwargs,
    )


class AnswerForm(forms.Form):
    """The form for one step, built from the step's kind and settings.

    `to_value()` gives the JSON stored on the Response; `initial_from(value)`
    puts a saved answer back into the form so it can be changed.
    """

    def __init__(self, step, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        kind = step.kind
        label = step.prompt
        if kind in (StepKind.TEXT, StepKind.JOINT_REVEAL):
            self.fields["text"] = _text_field(label, step.max_length)
        elif kind == StepKind.COMMITMENT:
            self.fields["text"] = forms.CharField(
                label=label,
                max_length=step.max_length,
                error_messages={
                    "required": "Write your commitment as one plain sentence before you save.",
                    "max_length": _too_long(step.max_length),
                },
            )
        elif kind == StepKind.AGREEMENT:
            self.fields["text"] = forms.CharField(
                label=label,
                max_length=step.max_length,
                error_messages={
                    "required": "Write your proposal as one sentence before you save.",
                    "max_length": _too_long(step.max_length),
                },
            )
            self.fields["agreement_kind"] = forms.ChoiceField(
                label="Is this an expectation or a boundary?",
                choices=AgreementKind.choices,
                widget=forms.RadioSelect,
                initial=AgreementKind.BOUNDARY if "boundary" in step.key else AgreementKind.EXPECTATION,
                error_messages={"required": "Choose whether this is an expectation or a boundary."},
            )
        elif kind == StepKind.SCALE:
            low, high = step.config["min"], step.config["max"]
            self.fields["number"] = forms.TypedChoiceField(
                label=label,
                choices=[(n, str(n)) for n in range(low, high + 1)],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "scale-option"}),
                help_text=f"{low} means “{step.config['min_label']}”, {high} means “{step.config['max_label']}”.",
                error_messages={
                    "required": f"Choose a number from {low} to {high}.",
                    "invalid_choice": f"Choose a number from {low} to {high}.",
                },
            )
        elif kind == StepKind.CHOICE:
            choices = [(option, option) for option in step.options]
            if step.multiple:
                self.fields["choices"] = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    help_text="Tick as many as fit.",
                    error_messages={
                        "required": "Tick at least one answer.",
                        "invalid_choice": "Please choose from the answers listed.",
                    },
                )
            else:
                self.fields["choices"] = forms.ChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": "Choose one answer.",
                        "invalid_choice": "Please choose from the answers listed.",
                    },
                )
        elif kind == StepKind.CHECKLIST:
            self.fields["items"] = forms.MultipleChoiceField(
                label=label,
                choices=[(item, item) for item in step.items],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text="Leaving some unticked is fine.",
                error_messages={"invalid_choice": "Please tick only the items listed."},
            )
        elif kind == StepKind.SCHEDULE:
            self.fields["weekday"] = forms.TypedChoiceField(
                label="Day",
                choices=Weekday.choices,
                coerce=int,
                error_messages={"required": "Choose a day.", "invalid_choice": "Choose a day of the week."},
            )
            self.fields["time"] = forms.TimeField(
                label="Time",
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                error_messages={
                    "required": "Choose a time.",
                    "invalid": "Enter a time such as 19:30.",
                },
            )

    def to_value(self) -> dict:
        data = self.cleaned_data
        kind = self.step.kind
        if kind == StepKind.READ:
            return {"read": True}
        if kind in (StepKind.TEXT, StepKind.JOINT_REVEAL, StepKind.COMMITMENT):
            return {"text": data["text"]}
        if kind == StepKind.AGREEMENT:
            return {"text": data["text"], "agreement_kind": data["agreement_kind"]}
        if kind == StepKind.SCALE:
            return {"number": data["number"]}
        if kind == StepKind.CHOICE:
            chosen = data["choices"]
            return {"choices": list(chosen) if isinstance(chosen, list) else [chosen]}
        if kind == StepKind.CHECKLIST:
            return {"items": list(data["items"])}
        if kind == StepKind.SCHEDULE:
            return {"weekday": data["weekday"], "time": data["time"].strftime("%H:%M")}
        raise ValueError(kind)

    @staticmethod
    def initial_from(step, value: dict) -> dict:
        if not value:
            return {}
        if step.kind == StepKind.CHOICE:
            chosen = value.get("choices", [])
            return {"choices": chosen if step.multiple else (chosen[0] if chosen else None)}
        if step.kind == StepKind.SCHEDULE:
            return {"weekday": value.get("weekday"), "time": value.get("time")}
        return {key: item for key, item in value.items() if key in ("text", "number", "items", "agreement_kind")}


class CommitmentForm(forms.Form):
    text = forms.CharField(
        label="A small, concrete commitment",
        max_length=200,
        help_text="One plain sentence about what you will do, for example “I will text if I am running late”.",
        error_messages={
            "required": "Write your commitment as one plain sentence.",
            "max_length": _too_long(200),
        },
    )


class LogForm(forms.Form):
    day = forms.DateField(
        label="Day",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Choose the day.", "invalid": "Enter a date such as 2026-03-14."},
    )
    status = forms.ChoiceField(
        label="How did it go?",
        choices=LogStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose kept or missed.", "invalid_choice": "Choose kept or missed."},
    )
    note = forms.CharField(
        label="A note (optional)",
        max_length=500,
        required=False,
        help_text="If it slipped, a word on what got in the way and what might help next time.",
        error_messages={"max_length": _too_long(500)},
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["day"].initial = today

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > self.today:
            raise forms.ValidationError("That day hasn't come yet. You can log a day once it has arrived.")
        if day < self.today - datetime.timedelta(days=60):
            raise forms.ValidationError("You can log days from the last two months.")
        return day


class ProposeAgreementForm(forms.Form):
    text = forms.CharField(
        label="Your proposal",
        max_length=300,
        help_text="One sentence your partner can accept or ask to change.",
        error_messages={"required": "Write your proposal as one sentence.", "max_length": _too_long(300)},
    )
    kind = forms.ChoiceField(
        label="Is this an expectation or a boundary?",
        choices=AgreementKind.choices,
        widget=forms.RadioSelect,
        initial=AgreementKind.EXPECTATION,
        error_messages={"required": "Choose expectation or boundary."},
    )


class ChangeAgreementForm(forms.Form):
    text = forms.CharField(
        label="New wording",
        max_length=300,
        help_text="Write the agreement as you would like it to read from now on.",
        error_messages={"required": "Write the new wording as one sentence.", "max_length": _too_long(300)},
    )


class RespondForm(forms.Form):
    answer = forms.ChoiceField(
        label="Your answer",
        choices=[("accept", "I agree"), ("change", "I'd like a change")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you agree or would like a change."},
    )
    revisit_on = forms.DateField(
        label="Look at it again on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Only needed if you agree.",
        error_messages={"invalid": "Enter a date such as 2026-03-14."},
    )
    change_note = forms.CharField(
        label="What would work better for you?",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only needed if you'd like a change.",
        error_messages={"max_length": _too_long(500)},
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        if data.get("answer") == "accept":
            revisit = data.get("revisit_on")
            if not revisit:
                self.add_error("revisit_on", "Choose a date to look at this agreement again.")
            elif revisit <= self.today:
                self.add_error("revisit_on", "Choose a date after today.")
            elif revisit > self.today + datetime.timedelta(days=366):
                self.add_error("revisit_on", "Choose a date within the next year.")
        if data.get("answer") == "change" and not data.get("change_note", "").strip():
            self.add_error("change_note", "Say in a few words what would work better for you.")
        return data
