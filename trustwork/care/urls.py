from django.urls import path

from trustwork.care import views

app_name = "care"

urlpatterns = [
    # Therapists
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile, name="profile"),
    path("invitations/<uuid:code>/", views.invitation, name="invitation"),
    path("couples/<uuid:code>/", views.couple_review, name="review"),
    path("couples/<uuid:code>/notes/", views.add_note, name="note"),
    path("couples/<uuid:code>/suggestions/", views.suggest, name="suggest"),
    # The couple
    path("our/<uuid:code>/", views.couple, name="couple"),
    path("our/<uuid:code>/invite/", views.invite, name="invite"),
    path("our/<uuid:code>/log/", views.access_log, name="access_log"),
    path("links/<uuid:code>/consent/", views.consent, name="consent"),
    path("links/<uuid:code>/revoke/", views.revoke, name="revoke"),
]
