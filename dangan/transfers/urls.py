from django.urls import path

from dangan.transfers import views

app_name = "transfers"
urlpatterns = [
    path("", views.transfer_list, name="list"),
    path("apply/", views.apply, name="apply"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/dispatch/", views.dispatch, name="dispatch"),
    path("<int:pk>/receive/", views.receive, name="receive"),
    path("<int:pk>/slip/", views.slip, name="slip"),
    path("<int:pk>/papers.pdf", views.papers, name="papers"),
    path("letters/new/", views.letter_new, name="letter_new"),
    path("retiring/", views.retiring, name="retiring"),
    path("letters/<int:pk>.pdf", views.letter_pdf_view, name="letter_pdf"),
]
