from django.urls import path

from dangan.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("intake/", views.intake, name="intake"),
    path("intakes/<int:pk>/", views.intake_done, name="intake_done"),
    path("intakes/<int:pk>/notice.pdf", views.intake_notice, name="intake_notice"),
    path("gaps/", views.gap_list, name="gaps"),
]
