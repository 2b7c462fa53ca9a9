"""Everything a person wrote, and everything kept about them, in one document.

The structure is documented in docs/data-export.md. Each section lists the
rows of one model that are the person's: rows whose `owner` fields point at
them (their authorship, the same rule each app's `visible_to` starts from),
plus, for a few sections, rows *about* them (the therapist access log of their
couple). A partner's writing is never included, whatever its visibility: it is
the partner's to export.

tests/test_data_export.py walks every model with a field pointing at the user
model and fails if a model, or one of those fields, is missing here.
"""

import datetime
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

FORMAT = "trustwork-export"
VERSION = 1

YOU = "you"
SOMEONE_ELSE = "someone else"


@dataclass(frozen=True)
class Child:
    """Rows that belong to each row of a section (a check-in's reflections)."""

    accessor: str
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    model: str
    owner: tuple[str, ...]
    description: str
    # Rows about the person that no owner field names (a Q built from the person).
    about: Callable | None = None
    # Never exported: secrets, and what would tell of someone else.
    exclude: tuple[str, ...] = ()
    children: tuple[Child, ...] = ()
    select: tuple[str, ...] = field(default=())


SECTIONS = [
    Section(
        "email_addresses",
        "Email addresses",
        "account.EmailAddress",
        ("user",),
        "The addresses on your account and whether each is verified.",
    ),
    Section(
        "two_factor",
        "Two-factor authentication",
        "mfa.Authenticator",
        ("user",),
        "Which second factors you set up and when they were last used. Their secrets are never exported.",
        exclude=("data",),
    ),
    Section(
        "sessions",
        "Where you are signed in",
        "usersessions.UserSession",
        ("user",),
        "The browsers and devices signed in to your account.",
        exclude=("session_key", "data"),
    ),
    Section(
        "relationships",
        "Shared records",
        "couples.Relationship",
        ("ended_by",),
        "Every shared record you have been part of, with its check-in rhythm.",
        about=lambda user: Q(memberships__user=user),
    ),
    Section(
        "memberships",
        "Your place in each shared record",
        "couples.Membership",
        ("user",),
        "When you joined each shared record and whether you are still part of it.",
        select=("relationship",),
    ),
    Section(
        "invitations",
        "Partner invitations",
        "couples.Invitation",
        ("invited_by", "accepted_by"),
        "Invitations you sent to a partner, and the one you accepted.",
        select=("relationship",),
    ),
    Section(
        "checkins",
        "Weekly check-ins",
        "checkins.CheckIn",
        ("author",),
        "Your weekly check-ins with your ratings, feelings and written reflections, whoever could see them.",
        children=(Child("reflections", exclude=("checkin",)),),
        select=("relationship",),
    ),
    Section(
        "exercise_answers",
        "Exercise answers",
        "exercises.Response",
        ("author",),
        "What you answered in the exercises, step by step.",
        select=("relationship", "step__exercise"),
    ),
    Section(
        "exercise_completions",
        "Exercises you finished",
        "exercises.Completion",
        ("person",),
        "The exercises you marked as done.",
        select=("relationship", "exercise"),
    ),
    Section(
        "commitments",
        "Commitments",
        "exercises.Commitment",
        ("author",),
        "The commitments you made and each day you logged them kept or missed.",
        children=(Child("logs", exclude=("commitment",)),),
        select=("relationship",),
    ),
    Section(
        "agreements",
        "Agreements you proposed",
        "exercises.AgreementRevision",
        ("proposed_by",),
        "Each version of an agreement or boundary you proposed, and what became of it.",
        select=("agreement",),
    ),
    Section(
        "reminder_settings",
        "Reminder settings",
        "reminders.ReminderPreference",
        ("user",),
        "How and when you asked to be reminded. The private calendar link is not exported.",
        exclude=("calendar_token",),
    ),
    Section(
        "reminder_schedules",
        "Scheduled reminders",
        "reminders.ReminderSchedule",
        ("user",),
        "When your next reminders are due.",
    ),
    Section(
        "reminder_facts",
        "What your reminders go by",
        "reminders.ReminderFacts",
        ("user",),
        "Your couple's check-in day, time and time zone as your reminders follow them, "
        "and whether you have an exercise in progress.",
    ),
    Section(
        "reminder_deliveries",
        "Reminders sent",
        "reminders.Delivery",
        ("recipient",),
        "Each reminder we sent or planned to send you.",
    ),
    Section(
        "therapist_links",
        "Therapist links",
        "care.CareLink",
        ("invited_by", "therapist", "revoked_by"),
        "Therapists invited to your shared record, or couples who invited you as their therapist.",
        select=("relationship",),
    ),
    Section(
        "therapist_consents",
        "Your consent to a therapist",
        "care.Consent",
        ("person",),
        "When you agreed to let a therapist see what you share with them.",
        select=("link",),
    ),
    Section(
        "access_log",
        "Therapist access log",
        "care.AccessLog",
        ("therapist",),
        "Every time a therapist opened your couple's pages (or, for a therapist, the pages you opened).",
        about=lambda user: Q(relationship__memberships__user=user),
        select=("relationship",),
    ),
    Section(
        "therapist_profile",
        "Therapist profile",
        "care.TherapistProfile",
        ("user",),
        "Your professional profile, if you work with couples here as a therapist.",
    ),
    Section(
        "therapist_notes",
        "Therapist notes",
        "care.TherapistNote",
        ("therapist",),
        "Private notes you kept as a therapist.",
        select=("relationship",),
    ),
    Section(
        "exercise_suggestions",
        "Exercises you suggested",
        "care.ExerciseSuggestion",
        ("therapist",),
        "Exercises you suggested to a couple as their therapist.",
        select=("relationship", "exercise"),
    ),
    Section(
        "safety_checks",
        "Private safety checks",
        "safety.SafetyCheck",
        ("person",),
        "The private safety checks you took. Only you ever see these.",
    ),
    Section(
        "admin_actions",
        "Changes you made in the admin",
        "admin.LogEntry",
        ("user",),
        "For staff: when you changed something in the admin. What was changed is not repeated here.",
        exclude=("object_repr", "change_message"),
        select=("content_type",),
    ),
]

# Account fields exported in the "account" part; the rest (the password hash,
# permissions) is not the person's writing and would help nobody.
ACCOUNT_FIELDS = ("code", "email", "display_name", "time_zone", "date_joined", "last_login", "is_staff")


def installed_sections():
    """The sections whose app is installed, with their models."""
    for section in SECTIONS:
        try:
            model = apps.get_model(section.model)
        except LookupError:
            continue
        yield section, model


def _zone(user):
    return user.time_zone or datetime.UTC


def _plain(value, zone):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(zone)
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return _label(value)
    if hasattr(value, "hex") and not isinstance(value, bytes | float):  # UUID
        return str(value)
    if isinstance(value, zoneinfo.ZoneInfo):
        return str(value)
    return value


def _label(obj):
    """How a row of another model is named in the export: its public code,
    else its slug, else its own string."""
    for name in ("code", "slug"):
        if hasattr(obj, name):
            return str(getattr(obj, name))
    return str(obj)


def _row(obj, user, zone, exclude=()):
    data = {}
    for model_field in obj._meta.concrete_fields:
        name = model_field.name
        if name in exclude or model_field.primary_key:
            continue
        if model_field.is_relation:
            if model_field.related_model is apps.get_model(settings.AUTH_USER_MODEL):
                raw = getattr(obj, model_field.attname)
                data[name] = None if raw is None else (YOU if raw == user.pk else SOMEONE_ELSE)
            else:
                related = getattr(obj, name)
                data[name] = None if related is None else _label(related)
            continue
        data[name] = _plain(getattr(obj, name), zone)
    return data


def _rows(section, model, user, zone):
    owned = Q()
    for name in section.owner:
        owned |= Q(**{name: user})
    if section.about:
        owned |= section.about(user)
    queryset = model._default_manager.filter(owned).distinct().order_by("pk")
    if section.select:
        queryset = queryset.select_related(*section.select)
    for child in section.children:
        queryset = queryset.prefetch_related(child.accessor)
    rows = []
    for obj in queryset:
        row = _row(obj, user, zone, section.exclude)
        for child in section.children:
            row[child.accessor] = [_row(item, user, zone, child.exclude) for item in getattr(obj, child.accessor).all()]
        rows.append(row)
    return rows


def export_user_data(user) -> dict:
    """The whole export as plain JSON-ready data (see docs/data-export.md)."""
    zone = _zone(user)
    sections = {}
    for section, model in installed_sections():
        sections[section.key] = {
            "title": section.title,
            "description": section.description,
            "items": _rows(section, model, user, zone),
        }
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _plain(timezone.now(), zone),
        "time_zone": str(zone),
        "account": {name: _plain(getattr(user, name), zone) for name in ACCOUNT_FIELDS},
        "sections": sections,
    }
