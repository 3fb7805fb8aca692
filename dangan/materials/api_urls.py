from django.urls import path

from dangan.materials import api

urlpatterns = [
    path("materials/", api.MaterialListCreateView.as_view(), name="api-materials"),
    path("materials/<int:pk>/", api.MaterialDetailView.as_view(), name="api-material"),
    path("materials/<int:pk>/appraise/", api.MaterialAppraiseView.as_view(), name="api-material-appraise"),
    path("materials/<int:pk>/file/", api.MaterialFileView.as_view(), name="api-material-file"),
    path("catalogues/<int:dossier_id>/", api.CatalogueView.as_view(), name="api-catalogue"),
    path("catalogues/<int:dossier_id>/pdf/", api.CataloguePdfView.as_view(), name="api-catalogue-pdf"),
    path("catalogues/<int:dossier_id>/xlsx/", api.CatalogueXlsxView.as_view(), name="api-catalogue-xlsx"),
]
