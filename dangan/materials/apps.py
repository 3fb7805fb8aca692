from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "dangan.materials"
    label = "materials"
    verbose_name = "档案材料"
