from django.urls import path

from checkins import views

app_name = "checkins"

urlpatterns = [
    path("<uuid:code>/", views.checkin, name="checkin"),
    path("<uuid:code>/draft/", views.draft, name="draft"),
    path("<uuid:code>/weeks/<str:week>/", views.week, name="week"),
    path("<uuid:code>/weeks/<str:week>/share/", views.share, name="share"),
    path("<uuid:code>/history/", views.history, name="history"),
    path("<uuid:code>/history/before/<str:before>/", views.history, name="history_before"),
    path("<uuid:code>/rhythm/", views.rhythm, name="rhythm"),
]
