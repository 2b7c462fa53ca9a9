from django.contrib import admin
from django.urls import include, path

from trustwork import views

urlpatterns = [
    path("", views.home, name="home"),
    path("safety/", views.safety, name="safety"),
    path("safety/", include("trustwork.safety.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("account/delete/", views.delete_account, name="delete_account"),
    path("account/", include("trustwork.accounts.urls")),
    path("couple/", include("trustwork.couples.urls")),
    path("care/", include("trustwork.care.urls")),
    path("checkins/", include("checkins.urls")),
    path("reminders/", include("trustwork.reminders.urls")),
    path("exercises/", include("exercises.urls")),
    path("admin/", admin.site.urls),
]
