from django.urls import path

from trustwork.safety import views

app_name = "safety"

urlpatterns = [
    path("check/", views.check, name="check"),
    path("check/<uuid:code>/", views.result, name="result"),
    path("check/<uuid:code>/delete/", views.delete, name="delete"),
]
