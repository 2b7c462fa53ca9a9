from django.contrib import admin

from trustwork.reminders import services
from trustwork.reminders.models import Delivery, ReminderPreference, ReminderSchedule


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "enabled", "timing", "remind_at", "updated_at"]
    list_filter = ["enabled", "timing"]
    list_select_related = ["user"]
    exclude = ["calendar_token"]
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change):
        # Through the service, so the person's next times and what is on its way follow.
        services.save_preferences(obj.user, obj, obj.user.time_zone)


@admin.register(ReminderSchedule)
class ReminderScheduleAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "next_run_at", "period"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    # Support can see that a reminder went out, never anything a person wrote.
    list_display = ["recipient", "kind", "period", "created_at", "sent_at", "cancelled_at", "failed_at", "attempts"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["code", "batch"]
