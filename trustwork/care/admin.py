from django.contrib import admin
from django.db import transaction

from trustwork.care import services
from trustwork.care.models import AccessLog, CareLink, Consent, TherapistProfile


@admin.register(TherapistProfile)
class TherapistProfileAdmin(admin.ModelAdmin):
    """Staff check the licence and tick `verified`; couples then see the badge."""

    list_display = ["name", "practice", "licence_number", "verified", "created_at"]
    list_filter = ["verified"]
    list_editable = ["verified"]
    search_fields = ["name", "practice", "licence_number", "user__email"]
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            services.therapist_changed(obj.user)


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    raw_id_fields = ["person"]
    readonly_fields = ["given_at"]


@admin.register(CareLink)
class CareLinkAdmin(admin.ModelAdmin):
    # Support sees who is linked to whom, never what anyone wrote.
    list_display = ["email", "created_at", "accepted_at", "revoked_at"]
    search_fields = ["email"]
    raw_id_fields = ["relationship", "invited_by", "therapist", "revoked_by"]
    readonly_fields = ["code"]
    inlines = [ConsentInline]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "therapist_name", "page", "succeeded"]
    list_filter = ["succeeded"]
    raw_id_fields = ["therapist", "relationship"]
