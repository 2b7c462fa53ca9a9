from django.http import HttpResponse
from django.urls import include, path


def baseline(request):
    """What every signed-in page pays at least: the session and the user lookup
    (through the same middleware and server), and no work of its own."""
    return HttpResponse("ok" if request.user.is_authenticated else "anonymous", content_type="text/plain")


urlpatterns = [
    path("bench/baseline", baseline, name="bench-baseline"),
    path("", include("trustwork.urls")),
]
