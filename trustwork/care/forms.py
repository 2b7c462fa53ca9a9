from django import forms

from exercises.models import Exercise
from trustwork.care.models import NOTE_MAX_LENGTH, SUGGESTION_MAX_LENGTH, TherapistProfile


class ProfileForm(forms.ModelForm):
    class Meta:
        model = TherapistProfile
        fields = ["name", "practice", "licence_number"]
        labels = {
            "name": "Your professional name",
            "practice": "Your practice",
            "licence_number": "Licence or registration number (optional)",
        }
        help_texts = {
            "name": "How couples see you, for example Dr Sam Rivera.",
            "practice": "The practice or service you work for.",
            "licence_number": "Our team checks it before couples see you as verified.",
        }


class InviteTherapistForm(forms.Form):
    email = forms.EmailField(
        label="Your therapist's email address",
        max_length=254,
        help_text="We send them a link to accept. They see nothing until both of you have agreed.",
    )
    agree = forms.BooleanField(
        label="I agree that this therapist may see what we mark \u201ccare\u201d, as described above.",
        error_messages={"required": "Please tick the box to show you agree, or leave this for now."},
    )


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label="I agree that this therapist may see what we mark \u201ccare\u201d, as described above.",
        error_messages={"required": "Please tick the box to show you agree, or leave this for now."},
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="A private note",
        max_length=NOTE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only you can read your notes. The couple never sees them.",
        error_messages={
            "required": "The note is empty. Write something, then save it.",
            "max_length": "Please keep a note under 5,000 characters (it has %(show_value)d now). "
            "Your text is still here to shorten.",
        },
    )


class SuggestionForm(forms.Form):
    exercise = forms.ModelChoiceField(
        label="Exercise",
        # What a choice is checked against (one query, when the form is sent).
        queryset=Exercise.objects.current().filter(is_private=False),
        empty_label="Choose an exercise",
        error_messages={
            "required": "Please choose an exercise to suggest.",
            "invalid_choice": "That exercise isn't available any more. Please choose another.",
        },
    )
    message = forms.CharField(
        label="A word for the couple (optional)",
        required=False,
        max_length=SUGGESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Both partners see this on their home page.",
        error_messages={
            "max_length": "Please keep this under 1,000 characters (it has %(show_value)d now).",
        },
    )

    def __init__(self, *args, exercises, **kwargs):
        """`exercises`: the ones to list, in order. They come from the content
        outline kept in memory (trustwork.care.review.exercises_to_suggest), so
        showing the form costs no query."""
        super().__init__(*args, **kwargs)
        field = self.fields["exercise"]
        field.choices = [("", field.empty_label)] + [
            (exercise.pk, f"{exercise.module.number}. {exercise.module.title}: {exercise.title}")
            for exercise in exercises
        ]
