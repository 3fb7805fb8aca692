from django.urls import path

from dangan.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.home, name="home"),
    path("political/apply/", views.review_apply, name="review_apply"),
    path("political/<int:pk>/", views.review_detail, name="review"),
    path("political/<int:pk>/draft/", views.review_draft, name="review_draft"),
    path("political/<int:pk>/approve/", views.review_approve, name="review_approve"),
    path("political/<int:pk>/release/", views.review_release, name="review_release"),
    path("political/<int:pk>/decide/", views.review_decide, name="review_decide"),
    path("political/<int:pk>.pdf", views.review_pdf, name="review_pdf"),
    path("party/apply/", views.party_apply, name="party_apply"),
    path("party/<int:pk>/", views.party_detail, name="party"),
    path("party/<int:pk>/complete/", views.party_complete, name="party_complete"),
    path("party/<int:pk>/decide/", views.party_decide, name="party_decide"),
]
