from django import forms

from trustwork.safety.models import QUESTIONS, Answer


class SafetyCheckForm(forms.Form):
    """One question per field, each answered yes, no or not sure."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, text, _ in QUESTIONS:
            self.fields[name] = forms.ChoiceField(
                label=text,
                choices=Answer.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Please choose an answer to this question, even if it is “I'm not sure”."},
            )
