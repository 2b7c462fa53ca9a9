from django.urls import path

from exercises import views

app_name = "exercises"

urlpatterns = [
    path("", views.start, name="start"),
    path("<uuid:code>/", views.modules, name="modules"),
    path("<uuid:code>/progress/", views.progress_view, name="progress"),
    path("<uuid:code>/commitments/", views.commitments, name="commitments"),
    path("<uuid:code>/commitments/<uuid:commitment>/log/", views.log_commitment, name="log_commitment"),
    path("<uuid:code>/commitments/<uuid:commitment>/end/", views.end_commitment, name="end_commitment"),
    path("<uuid:code>/agreements/", views.agreements, name="agreements"),
    path("<uuid:code>/agreements/<uuid:agreement>/", views.agreement, name="agreement"),
    path("<uuid:code>/m/<slug:module>/", views.module, name="module"),
    path("<uuid:code>/m/<slug:module>/<slug:exercise>/", views.exercise, name="exercise"),
    path("<uuid:code>/m/<slug:module>/<slug:exercise>/complete/", views.complete, name="complete"),
    path("<uuid:code>/m/<slug:module>/<slug:exercise>/step/<slug:step>/", views.exercise, name="step"),
]
