"""Console forms: they only shape input; the services decide (and their field errors come back onto these forms)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangan.casework import registry
from dangan.casework.models import ApplicantKind
from dangan.core.errors import ApplicationError
from dangan.core.forms import add_service_errors
from dangan.dossiers.forms import DateInput
from dangan.lending import purposes
from dangan.lending.models import BorrowerKind, CopyKind, RelativeRelation
from dangan.storage.models import Room

REQUIRED = {"required": _("此项为必填项")}


class ServiceErrorsMixin:
    """Put a service's field errors on the matching fields; the rest above the form. Nothing typed is lost."""

    def add_service_error(self, exc: ApplicationError) -> None:
        add_service_errors(exc, self)


def _checklist(code: str) -> list[tuple[str, str]]:
    service_type = registry.get(code)
    return [(i.key, i.label) for i in service_type.checklist] if service_type else []


class RelativeForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("亲属姓名"), max_length=50, error_messages=REQUIRED)
    id_number = forms.CharField(label=_("亲属身份证号码"), max_length=18, error_messages=REQUIRED)
    relation = forms.ChoiceField(label=_("关系"), choices=RelativeRelation.choices)


class WithdrawRelativeForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=200, error_messages=REQUIRED)


class ConsultationForm(ServiceErrorsMixin, forms.Form):
    person_id_number = forms.CharField(label=_("被查阅人身份证号码"), max_length=18, error_messages=REQUIRED)
    applicant_kind = forms.ChoiceField(
        label=_("申请人类型"), choices=ApplicantKind.choices, initial=ApplicantKind.ORGANISATION
    )
    organisation_name = forms.CharField(label=_("查阅单位"), max_length=100, error_messages=REQUIRED)
    organisation_code = forms.CharField(label=_("统一社会信用代码或单位代码"), max_length=32, error_messages=REQUIRED)
    applicant_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    letter_number = forms.CharField(label=_("查阅函编号"), max_length=40, error_messages=REQUIRED)
    letter_date = forms.DateField(label=_("查阅函日期"), widget=DateInput, error_messages=REQUIRED)
    reason = forms.CharField(label=_("查阅事由"), max_length=200, error_messages=REQUIRED)
    content = forms.CharField(label=_("查阅内容"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    purpose = forms.ChoiceField(label=_("查阅目的"), choices=purposes.choices)
    documents = forms.MultipleChoiceField(
        label=_("已收取的材料"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=lambda: _checklist("consultation"),
    )


class ReaderForm(forms.Form):
    name = forms.CharField(label=_("查阅人姓名"), max_length=50, required=False)
    id_number = forms.CharField(label=_("身份证号码"), max_length=18, required=False)
    post = forms.CharField(label=_("职务"), max_length=50, required=False)

    def filled(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(str(data.get(k) or "").strip() for k in ("name", "id_number", "post"))


ReaderFormSet = forms.formset_factory(ReaderForm, extra=3, max_num=10, absolute_max=10)


class DecisionForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(label=_("审批意见"), max_length=500, required=False)


class ApproveConsultationForm(DecisionForm):
    scope = forms.CharField(
        label=_("批准查阅范围"), max_length=500, required=False, help_text=_("不填则按申请的查阅内容批准")
    )


class SessionForm(ServiceErrorsMixin, forms.Form):
    room = forms.ModelChoiceField(label=_("阅档室"), queryset=Room.objects.none(), empty_label=_("——请选择——"))
    reader_ids = forms.MultipleChoiceField(label=_("到场查阅人"), widget=forms.CheckboxSelectMultiple, choices=())
    scope = forms.CharField(label=_("本次查阅范围"), max_length=500, error_messages=REQUIRED)
    readers_signed = forms.BooleanField(label=_("查阅人已在查阅登记簿上签名"), required=False)

    def __init__(self, *args: Any, rooms: Any, readers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms  # type: ignore[attr-defined]
        self.fields["reader_ids"].choices = [(r.pk, f"{r.name}（{r.post}）") for r in readers]  # type: ignore[attr-defined]


class SessionCloseForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(label=_("情况说明"), max_length=200, required=False)


class CopyForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=CopyKind.choices)
    description = forms.CharField(label=_("材料名称及范围"), max_length=200, error_messages=REQUIRED)
    pages = forms.IntegerField(label=_("页数"), min_value=1, max_value=9999)
    reason = forms.CharField(label=_("用途"), max_length=200, error_messages=REQUIRED)


class LoanForm(ServiceErrorsMixin, forms.Form):
    person_id_number = forms.CharField(label=_("存档人员身份证号码"), max_length=18, error_messages=REQUIRED)
    borrower_kind = forms.ChoiceField(label=_("借档单位类型"), choices=BorrowerKind.choices)
    borrower_name = forms.CharField(label=_("借档单位"), max_length=100, error_messages=REQUIRED)
    borrower_code = forms.CharField(label=_("统一社会信用代码或单位代码"), max_length=32, error_messages=REQUIRED)
    letter_number = forms.CharField(label=_("借档函编号"), max_length=40, required=False)
    letter_date = forms.DateField(label=_("借档函日期"), widget=DateInput, error_messages=REQUIRED)
    purpose = forms.CharField(label=_("借档事由"), max_length=200, error_messages=REQUIRED)
    handler_name = forms.CharField(label=_("经办人姓名"), max_length=50, error_messages=REQUIRED)
    handler_id_number = forms.CharField(label=_("经办人身份证号码"), max_length=18, error_messages=REQUIRED)
    handler_phone = forms.CharField(label=_("经办人联系电话"), max_length=20, required=False)
    no_lending_on = forms.BooleanField(label=_("借档单位已签署不转借承诺"), required=False)
    documents = forms.MultipleChoiceField(
        label=_("已收取的材料"), widget=forms.CheckboxSelectMultiple, required=False, choices=lambda: _checklist("loan")
    )


class LendForm(ServiceErrorsMixin, forms.Form):
    seal_number = forms.CharField(label=_("密封封签编号"), max_length=40, error_messages=REQUIRED)


class ReturnForm(ServiceErrorsMixin, forms.Form):
    """One row per catalogue item that left: present, and the pages counted face to face."""

    seal_intact = forms.BooleanField(label=_("密封完好、封签无误"), required=False)
    note = forms.CharField(label=_("核对说明"), max_length=500, required=False)

    def __init__(self, *args: Any, catalogue: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        for row in catalogue:
            n = row["n"]
            self.fields[f"present_{n}"] = forms.BooleanField(label=_("在"), required=False, initial=True)
            self.fields[f"pages_{n}"] = forms.IntegerField(
                label=_("页数"), min_value=0, max_value=99999, initial=row["pages"]
            )

    def rows(self) -> list[dict[str, Any]]:
        return [{"item": row, "present": self[f"present_{row['n']}"], "pages": self[f"pages_{row['n']}"]}
                for row in self.catalogue]  # fmt: skip

    def items(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {"n": row["n"], "present": bool(data.get(f"present_{row['n']}")), "pages": data.get(f"pages_{row['n']}")}
            for row in self.catalogue
        ]
