from django import forms


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Your partner's email address",
        max_length=254,
        help_text="We send them a link that works once and lasts 7 days.",
    )
