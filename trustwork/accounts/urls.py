from django.urls import path

from trustwork.accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("data/", views.your_data, name="data"),
    path("data/export.json", views.export_json, name="export_json"),
    path("data/export/", views.export_page, name="export_page"),
]
