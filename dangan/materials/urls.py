from django.urls import path

from dangan.materials import views

app_name = "materials"
urlpatterns = [
    path("<int:dossier_id>/section/", views.dossier_section, name="dossier_section"),
    path("<int:dossier_id>/new/", views.material_new, name="new"),
    path("<int:dossier_id>/catalogue.pdf", views.catalogue_pdf, name="catalogue_pdf"),
    path("<int:dossier_id>/catalogue.xlsx", views.catalogue_xlsx, name="catalogue_xlsx"),
    path("material/<int:pk>/appraise/", views.material_appraise, name="appraise"),
    path("material/<int:pk>/file/", views.material_file, name="file"),
]
