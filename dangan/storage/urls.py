from django.urls import path

from dangan.storage import views

app_name = "storage"
urlpatterns = [
    path("", views.home, name="home"),
    path("scan/", views.scan, name="scan"),
    path("rooms/new/", views.room_create, name="room_create"),
    path("rooms/<int:room_id>/", views.room_detail, name="room"),
    path("rooms/<int:room_id>/locations/", views.locations_create, name="locations_create"),
    path("rooms/<int:room_id>/cabinets/<int:cabinet>/labels.pdf", views.cabinet_labels, name="cabinet_labels"),
    path("dossiers/<int:dossier_id>/place/", views.place, name="place"),
    path("dossiers/<int:dossier_id>/label.pdf", views.dossier_label, name="label"),
    path("<int:dossier_id>/section/", views.dossier_section, name="dossier_section"),
]
