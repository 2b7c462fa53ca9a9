from django.utils import timezone
from django.utils.cache import add_never_cache_headers


class PrivatePagesMiddleware:
    """Show times in the person's own zone, and keep their pages out of caches.

    A shared computer's back button or a proxy must never replay what someone
    wrote, so every response to a signed-in person is marked no-store.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            timezone.activate(user.time_zone)
        response = self.get_response(request)
        timezone.deactivate()
        if user.is_authenticated:
            add_never_cache_headers(response)
        return response
