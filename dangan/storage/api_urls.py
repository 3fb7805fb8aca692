from django.urls import path

from dangan.storage import api, stocktaking_api

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
    path(
        "storage/rooms/<int:room_id>/stocktakes/",
        stocktaking_api.RoomStocktakesView.as_view(),
        name="api-storage-stocktakes",
    ),
    path(
        "storage/stocktakes/<int:stocktake_id>/",
        stocktaking_api.StocktakeDetailView.as_view(),
        name="api-storage-stocktake",
    ),
    path(
        "storage/stocktakes/<int:stocktake_id>/scans/",
        stocktaking_api.StocktakeScanView.as_view(),
        name="api-storage-stocktake-scan",
    ),
    path(
        "storage/stocktakes/<int:stocktake_id>/finish/",
        stocktaking_api.StocktakeFinishView.as_view(),
        name="api-storage-stocktake-finish",
    ),
    path(
        "storage/stocktakes/<int:stocktake_id>/cancel/",
        stocktaking_api.StocktakeCancelView.as_view(),
        name="api-storage-stocktake-cancel",
    ),
    path(
        "storage/stocktakes/<int:stocktake_id>/report/",
        stocktaking_api.StocktakeReportView.as_view(),
        name="api-storage-stocktake-report",
    ),
]
