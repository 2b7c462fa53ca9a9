from django.urls import path

from trustwork.reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("calendar/reset/", views.reset_calendar, name="calendar_reset"),
    path("calendar/<uuid:token>.ics", views.calendar, name="calendar"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
