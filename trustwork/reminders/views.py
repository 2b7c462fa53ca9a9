from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from trustwork import ratelimits
from trustwork.reminders import calendar_feed, services
from trustwork.reminders.forms import ReminderPreferenceForm
from trustwork.reminders.models import ReminderPreference


def _settings_context(request, form, preference):
    return {
        "form": form,
        "preference": preference,
        "rhythm": services.rhythm_of(request.user),
        "upcoming": services.upcoming_for(request.user),
        "calendar_url": request.build_absolute_uri(services.calendar_path(preference)),
    }


def _render_settings(request, context, status=200):
    # htmx swaps the settings card only; the same view serves the whole page.
    template = "reminders/settings.html#reminder-settings" if request.htmx else "reminders/settings.html"
    return render(request, template, context, status=status)


@login_required
def settings_page(request):
    preference = services.preference_for(request.user)
    form = ReminderPreferenceForm(request.POST or None, instance=preference, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            services.save_preferences(request.user, form.save(commit=False), form.cleaned_data["time_zone"])
            timezone.activate(request.user.time_zone)
            message = (
                "Your reminder settings are saved."
                if preference.enabled
                else ("Reminders are off. You can turn them back on here at any time.")
            )
            if not request.htmx:
                messages.success(request, message)
                return redirect("reminders:settings")
            form = ReminderPreferenceForm(instance=preference, user=request.user)
            context = _settings_context(request, form, preference) | {"saved_message": message}
            return _render_settings(request, context)
        preference.refresh_from_db()
        # htmx swaps only 2xx answers, so the card with its messages comes back as a 200 to htmx.
        status = 200 if request.htmx else 400
        return _render_settings(request, _settings_context(request, form, preference), status=status)
    return _render_settings(request, _settings_context(request, form, preference))


@login_required
def reset_calendar(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    # Only ever the signed-in person's own address: nothing in the request names whose.
    preference = services.reset_calendar_token(request.user)
    message = "Your calendar address is new. The old one has stopped working; add the new one to your calendar."
    if not request.htmx:
        messages.success(request, message)
        return redirect("reminders:settings")
    form = ReminderPreferenceForm(instance=preference, user=request.user)
    context = _settings_context(request, form, preference) | {"calendar_message": message}
    return render(request, "reminders/settings.html#calendar", context)


@csrf_exempt  # Mail clients POST here (RFC 8058) with no cookie and no CSRF token; the signed token is the key.
@never_cache
def unsubscribe(request, token):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "GET":
        problem = services.unsubscribe_problem(token)
        status = 400 if problem else 200
        return render(request, "reminders/unsubscribe.html", {"token": token, "problem": problem}, status=status)
    if too_many := ratelimits.limit(request, "unsubscribe"):
        return too_many
    try:
        services.unsubscribe(token)
    except services.ReminderError as error:
        return render(request, "reminders/unsubscribe.html", {"token": token, "problem": error.message}, status=400)
    return render(request, "reminders/unsubscribe.html", {"done": True})


@never_cache
def calendar(request, token):
    preference = ReminderPreference.objects.filter(calendar_token=token).select_related("user__reminder_facts").first()
    if preference is None:
        raise Http404("No calendar at this address.")
    facts = getattr(preference.user, "reminder_facts", None)
    body = calendar_feed.feed(facts.rhythm if facts else None, preference.calendar_token, timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="trustwork.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
