"""R9: every basic service is free — nothing in the platform can record a fee."""

import pytest
from django.apps import apps

from dangan.casework import registry

FEE_WORDS = ("fee", "price", "charge", "payment", "收费", "费用", "金额")


@pytest.mark.rule("R9")
def test_no_model_field_records_a_fee():
    offending = []
    for model in apps.get_models():
        if not model.__module__.startswith("dangan."):
            continue
        for field in model._meta.get_fields():
            name = f"{field.name} {getattr(field, 'verbose_name', '')}".lower()
            # Registered capital (注册资金) of an employer is a fact on annex 1, not a fee.
            if any(word in name for word in FEE_WORDS) and "capital" not in name:
                offending.append(f"{model._meta.label}.{field.name}")
    assert offending == []


@pytest.mark.rule("R9")
def test_service_types_carry_no_fee():
    assert registry.all_types()
    for service_type in registry.all_types():
        assert not any("fee" in key for key in vars(service_type))
        assert not any(word in item.label for item in service_type.checklist for word in ("缴费", "收费"))
