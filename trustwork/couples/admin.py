from django.contrib import admin

from trustwork.couples.models import Invitation, Membership, Relationship


class MembershipInline(admin.TabularInline):
    # Read-only: who is in a couple changes through the couples services
    # (accept, end), which also tell the reminders.
    model = Membership
    extra = 0
    fields = readonly_fields = ["user", "joined_at", "is_active"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ["code", "created_at", "ended_at"]
    list_filter = ["ended_at"]
    # The rhythm and the end change only through the couples services
    # (set_rhythm, end_relationship), which move the partners' reminders too.
    readonly_fields = ["code", "ended_at", "ended_by", "checkin_weekday", "checkin_time", "time_zone"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "created_at", "expires_at", "accepted_at", "cancelled_at"]
    search_fields = ["email"]
    raw_id_fields = ["relationship", "invited_by", "accepted_by"]
