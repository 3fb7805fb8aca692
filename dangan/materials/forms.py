from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dangan.core.codetables import table
from dangan.core.errors import ApplicationError
from dangan.dossiers.forms import DateInput
from dangan.dossiers.models import Gap, GapStatus
from dangan.materials import formed
from dangan.materials.models import MaterialSource
from dangan.materials.services import MAX_COPIES, MAX_PAGES, MAX_VOLUME, MaterialInput
from dangan.materials.workflow import Decision, ReturnReason

# Service error fields → the form field that shows them.
_FORM_FIELD = {"formed_on": "formed", "formed_precision": "formed"}


def _gap_label(gap: Gap) -> str:
    """A gap as offered on the entry form; an escalated one says so (it can still be closed, R11)."""
    escalated = f"，{GapStatus(gap.status).label}" if gap.status == GapStatus.ESCALATED else ""
    return f"{gap.material_class} {gap.title}（{_('补充期限')} {gap.deadline:%Y-%m-%d}{escalated}）"


class MaterialForm(forms.Form):
    material_class = forms.ChoiceField(
        label=_("类号"), choices=lambda: [("", "——"), *table("material_class").leaf_choices()]
    )
    title = forms.CharField(label=_("材料名称"), max_length=200)
    formed = forms.CharField(
        label=_("材料制成时间"),
        required=False,
        max_length=20,
        help_text=_("如 2010、2010.03 或 2010.03.05；时间不详时留空"),
    )
    copies = forms.IntegerField(label=_("份数"), min_value=1, max_value=MAX_COPIES, initial=1)
    pages = forms.IntegerField(label=_("页数"), min_value=1, max_value=MAX_PAGES)
    source = forms.ChoiceField(label=_("材料来源"), choices=[("", "——"), *MaterialSource.choices])
    source_name = forms.CharField(label=_("来源单位"), max_length=100, required=False)
    received_on = forms.DateField(label=_("收到日期"), widget=DateInput)
    volume = forms.IntegerField(label=_("卷"), min_value=1, max_value=MAX_VOLUME, initial=1)
    remarks = forms.CharField(label=_("备注"), max_length=200, required=False)
    gap = forms.TypedChoiceField(
        label=_("补充接收时缺失的材料"), required=False, coerce=int, empty_value=None, choices=[]
    )

    def __init__(self, *args: Any, gaps: Iterable[Gap] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        gap_choices = [(g.pk, _gap_label(g)) for g in gaps]
        self.has_gaps = bool(gap_choices)
        gap_field = self.fields["gap"]
        assert isinstance(gap_field, forms.TypedChoiceField)
        gap_field.choices = [("", _("——不是补充缺失材料——")), *gap_choices]

    def clean_formed(self) -> tuple[datetime.date | None, str]:
        try:
            return formed.parse(self.cleaned_data.get("formed") or "")
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def to_input(self) -> MaterialInput:
        data = self.cleaned_data
        formed_on, precision = data["formed"]
        return MaterialInput(
            material_class=data["material_class"],
            title=data["title"],
            formed_on=formed_on,
            formed_precision=precision,
            pages=data["pages"],
            source=data["source"],
            received_on=data["received_on"],
            copies=data["copies"],
            source_name=data["source_name"],
            volume=data["volume"],
            remarks=data["remarks"],
        )

    def add_service_error(self, exc: ApplicationError) -> None:
        if not exc.fields:
            self.add_error(None, exc.message)
        for name, messages in exc.fields.items():
            field = _FORM_FIELD.get(name, name)
            self.add_error(field if field in self.fields else None, messages)


class AppraiseForm(forms.Form):
    decision = forms.ChoiceField(label=_("鉴别结论"), choices=Decision.choices)
    return_reason = forms.ChoiceField(label=_("退回原因"), required=False, choices=[("", "——"), *ReturnReason.choices])
    note = forms.CharField(label=_("鉴别意见"), max_length=200, required=False)
