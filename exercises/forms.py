import datetime

from django import forms

from exercises.models import AgreementKind, LogStatus


def too_long(limit):
    return (
        f"Please keep this to {limit} characters or fewer (you wrote %(show_value)d). "
        "Your words are still in the box, so nothing is lost."
    )


class AnswerForm(forms.Form):
    """The form for one step. Its fields, the JSON stored on the Response
    (`to_value()`) and a saved answer put back to be changed
    (`initial_from(step, value)`) all come from the step's kind
    (exercises/kinds.py)."""

    def __init__(self, step, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        self.fields.update(step.type.form_fields())

    def to_value(self) -> dict:
        return self.step.type.to_value(self.cleaned_data)

    @staticmethod
    def initial_from(step, value: dict) -> dict:
        return step.type.initial(value) if value else {}


class CommitmentForm(forms.Form):
    text = forms.CharField(
        label="A small, concrete commitment",
        max_length=200,
        help_text="One plain sentence about what you will do, for example “I will text if I am running late”.",
        error_messages={
            "required": "Write your commitment as one plain sentence.",
            "max_length": too_long(200),
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
        error_messages={"max_length": too_long(500)},
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
        error_messages={"required": "Write your proposal as one sentence.", "max_length": too_long(300)},
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
        error_messages={"required": "Write the new wording as one sentence.", "max_length": too_long(300)},
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
        error_messages={"max_length": too_long(500)},
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
