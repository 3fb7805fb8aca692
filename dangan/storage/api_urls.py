from django.urls import path

from dangan.storage import api

urlpatterns = [
    path("storage/rooms/", api.RoomListView.as_view(), name="api-storage-rooms"),
    path("storage/rooms/<int:room_id>/", api.RoomDetailView.as_view(), name="api-storage-room"),
    path("storage/rooms/<int:room_id>/locations/", api.RoomLocationsView.as_view(), name="api-storage-locations"),
    path(
        "storage/rooms/<int:room_id>/cabinets/<int:cabinet>/labels/",
        api.CabinetLabelsView.as_view(),
        name="api-storage-cabinet-labels",
    ),
    path("storage/dossiers/<int:dossier_id>/location/", api.DossierPlaceView.as_view(), name="api-storage-place"),
    path(
        "storage/dossiers/<int:dossier_id>/suggestion/",
        api.DossierSuggestionView.as_view(),
        name="api-storage-suggestion",
    ),
    path("storage/dossiers/<int:dossier_id>/shelve/", api.DossierShelveView.as_view(), name="api-storage-shelve"),
    path("storage/dossiers/<int:dossier_id>/move/", api.DossierMoveView.as_view(), name="api-storage-move"),
    path("storage/dossiers/<int:dossier_id>/label/", api.DossierLabelView.as_view(), name="api-storage-label"),
    path("storage/scan/", api.ScanView.as_view(), name="api-storage-scan"),
]
