from django.urls import path

from dangan.certificates import views

app_name = "certificates"
urlpatterns = [
    path("", views.home, name="home"),
    path("apply/", views.apply, name="apply"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/issue/", views.issue, name="issue"),
    path("requests/<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
    path("<int:pk>.pdf", views.pdf, name="pdf"),
    path("types/", views.type_list, name="types"),
    path("types/new/", views.type_edit, name="type_new"),
    path("types/<slug:code>/", views.type_edit, name="type_edit"),
]
