from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangan.core.errors import ApplicationError
from dangan.storage.checklist import checklist
from dangan.storage.models import RoomKind
from dangan.storage.services import MAX_CABINET, MAX_POSITIONS, MAX_TIERS


class ServiceErrorsMixin(forms.Form):
    def add_service_error(self, exc: ApplicationError) -> None:
        """A service refusal as form errors: named fields where the form has them, else on the form."""
        placed = False
        for name, messages in exc.fields.items():
            if name in self.fields:
                for message in messages:
                    self.add_error(name, message)
                placed = True
        if not placed or exc.message not in {m for ms in exc.fields.values() for m in ms}:
            self.add_error(None, exc.message)


class RoomForm(ServiceErrorsMixin):
    name = forms.CharField(label=_("名称"), max_length=30, error_messages={"required": _("请填写房间名称")})
    kind = forms.ChoiceField(label=_("用途"), choices=RoomKind.choices)
    protections = forms.MultipleChoiceField(
        label=_("已落实的防护措施（九防）"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["protections"].choices = [(p.key, p.label) for p in checklist().protections]  # type: ignore[attr-defined]


class ProtectionsForm(ServiceErrorsMixin):
    protections = forms.MultipleChoiceField(
        label=_("已落实的防护措施（九防）"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    note = forms.CharField(
        label=_("变化说明"), max_length=200, error_messages={"required": _("请说明变化（如：新装温湿度监控）")}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["protections"].choices = [(p.key, p.label) for p in checklist().protections]  # type: ignore[attr-defined]


class LocationsForm(ServiceErrorsMixin):
    cabinet = forms.IntegerField(label=_("档案柜号"), min_value=1, max_value=MAX_CABINET)
    tiers = forms.IntegerField(label=_("层数"), min_value=1, max_value=MAX_TIERS)
    positions = forms.IntegerField(label=_("每层格数"), min_value=1, max_value=MAX_POSITIONS)


class PlaceForm(ServiceErrorsMixin):
    location = forms.CharField(
        label=_("存放位置编号"), max_length=60, error_messages={"required": _("请填写或扫描存放位置编号")}
    )
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)


class ScanForm(forms.Form):
    barcode = forms.CharField(label=_("档案条码"), max_length=40, error_messages={"required": _("请扫描或输入条码")})


class StocktakeScanForm(ServiceErrorsMixin):
    """A scanner types a code and presses Enter: first the shelf place, then the box's barcode."""

    location_code = forms.CharField(
        label=_("存放位置编号"),
        max_length=60,
        error_messages={"required": _("请扫描或输入存放位置编号"), "max_length": _("位置编号不能超过60个字符")},
    )
    barcode = forms.CharField(
        label=_("档案条码"),
        max_length=40,
        error_messages={"required": _("请扫描或输入档案条码"), "max_length": _("条码不能超过40个字符")},
    )


class StocktakeCancelForm(ServiceErrorsMixin):
    reason = forms.CharField(
        label=_("取消原因"),
        max_length=200,
        error_messages={"required": _("请填写取消原因"), "max_length": _("取消原因不能超过200个字")},
    )
