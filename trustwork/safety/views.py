from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from trustwork.safety import services
from trustwork.safety.forms import SafetyCheckForm
from trustwork.safety.models import SafetyCheck


@login_required
def check(request):
    form = SafetyCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        safety_check = services.take_safety_check(request.user, form.cleaned_data)
        return redirect("safety:result", safety_check.code)
    past_checks = SafetyCheck.objects.visible_to(request.user).only("code", "taken_at")
    return render(request, "safety/check.html", {"form": form, "past_checks": past_checks})


@login_required
def result(request, code):
    safety_check = get_object_or_404(SafetyCheck.objects.visible_to(request.user), code=code)
    return render(request, "safety/result.html", {"check": safety_check})


@login_required
@require_POST
def delete(request, code):
    safety_check = get_object_or_404(SafetyCheck.objects.visible_to(request.user), code=code)
    services.delete_safety_check(safety_check)
    messages.success(request, "That safety check is deleted. Nothing of it is left in trustwork.")
    return redirect("safety:check")
