from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from trustwork.accounts import staff_mfa
from trustwork.accounts.models import User
from trustwork.reminders import services as reminders


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name", "time_zone"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]})]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "time_zone" in form.changed_data:
            reminders.reschedule(obj)  # their reminders keep to their new local time


# Staff must sign in through allauth and use two-factor authentication
# before any admin page opens (see staff_mfa).
staff_mfa.protect(admin.site)
