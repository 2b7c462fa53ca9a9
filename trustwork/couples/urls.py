from django.urls import path

from trustwork.couples import views

app_name = "couples"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("<uuid:code>/", views.detail, name="detail"),
    path("<uuid:code>/invite/", views.invite, name="invite"),
    path("<uuid:code>/end/", views.end, name="end"),
    path("invitations/<uuid:code>/", views.invitation, name="invitation"),
]
