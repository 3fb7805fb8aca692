from django.urls import path

from dangan.storage import views

app_name = "storage"
urlpatterns = [
    path("", views.home, name="home"),
    path("scan/", views.scan, name="scan"),
    path("rooms/new/", views.room_create, name="room_create"),
    path("rooms/<int:room_id>/", views.room_detail, name="room"),
    path("rooms/<int:room_id>/locations/", views.locations_create, name="locations_create"),
    path("rooms/<int:room_id>/protections/", views.room_protections, name="room_protections"),
    path("rooms/<int:room_id>/cabinets/<int:cabinet>/labels.pdf", views.cabinet_labels, name="cabinet_labels"),
    path("rooms/<int:room_id>/stocktakes/", views.stocktakes, name="stocktakes"),
    path("rooms/<int:room_id>/stocktakes/start/", views.stocktake_start, name="stocktake_start"),
    path("stocktakes/<int:stocktake_id>/", views.stocktake_detail, name="stocktake"),
    path("stocktakes/<int:stocktake_id>/scan/", views.stocktake_scan, name="stocktake_scan"),
    path("stocktakes/<int:stocktake_id>/finish/", views.stocktake_finish, name="stocktake_finish"),
    path("stocktakes/<int:stocktake_id>/cancel/", views.stocktake_cancel, name="stocktake_cancel"),
    path("stocktakes/<int:stocktake_id>/report/", views.stocktake_report, name="stocktake_report"),
    path("stocktakes/<int:stocktake_id>/report.xlsx", views.stocktake_report_xlsx, name="stocktake_report_xlsx"),
    path("dossiers/<int:dossier_id>/place/", views.place, name="place"),
    path("dossiers/<int:dossier_id>/label.pdf", views.dossier_label, name="label"),
    path("<int:dossier_id>/section/", views.dossier_section, name="dossier_section"),
]
