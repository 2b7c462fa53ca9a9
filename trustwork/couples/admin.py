from django.contrib import admin

from trustwork.couples.models import Invitation, Membership, Relationship


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ["code", "created_at", "ended_at"]
    list_filter = ["ended_at"]
    readonly_fields = ["code"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "created_at", "expires_at", "accepted_at", "cancelled_at"]
    search_fields = ["email"]
    raw_id_fields = ["relationship", "invited_by", "accepted_by"]
