from django import forms

from trustwork.time_zones import TimeZoneField


class ProfileFields(forms.Form):
    display_name = forms.CharField(
        label="Your name",
        max_length=60,
        help_text="A first name or nickname is enough. Your partner sees it.",
    )
    time_zone = TimeZoneField(
        label="Your time zone",
        initial="UTC",
        help_text="Times and reminders are shown in this zone.",
    )


class SignupForm(ProfileFields):
    """Extra fields for allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.time_zone = self.cleaned_data["time_zone"]
        user.save(update_fields=["display_name", "time_zone"])


class ProfileForm(ProfileFields):
    """The profile page. It only checks the fields: the view saves them through
    accounts.services.update_profile, which moves the person's reminders when
    their time zone changes."""

    @staticmethod
    def initial_for(user) -> dict:
        return {"display_name": user.display_name, "time_zone": user.time_zone}


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label="Code from your authenticator app",
        required=False,
        max_length=64,
        help_text="Only needed if you turned on two-factor authentication.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
