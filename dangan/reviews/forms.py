from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangan.casework import registry
from dangan.casework.models import ApplicantKind
from dangan.dossiers.forms import DateInput
from dangan.reviews import purposes
from dangan.reviews import workflow as wf
from dangan.reviews.models import Direction

REQUIRED = {"required": _("此项为必填项")}


def _checklist(code: str) -> list[tuple[str, str]]:
    service_type = registry.get(code)
    return [(i.key, i.label) for i in service_type.checklist] if service_type else []


class ReviewApplyForm(forms.Form):
    person_id_number = forms.CharField(label=_("考察对象身份证号码"), max_length=18, error_messages=REQUIRED)
    purpose = forms.ChoiceField(label=_("政审（考察）事由"), choices=purposes.choices)
    organisation = forms.CharField(label=_("来函单位"), max_length=100, error_messages=REQUIRED)
    organisation_code = forms.CharField(label=_("来函单位统一社会信用代码"), max_length=32, required=False)
    letter_number = forms.CharField(label=_("来函编号"), max_length=50, required=False)
    reviewer_name = forms.CharField(label=_("考察人姓名"), max_length=50, error_messages=REQUIRED)
    reviewer_id_number = forms.CharField(label=_("考察人证件号码"), max_length=32, error_messages=REQUIRED)
    applicant_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    documents = forms.MultipleChoiceField(
        label=_("已收取的材料"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=lambda: _checklist("political_review"),
    )


class DraftForm(forms.Form):
    conclusion = forms.CharField(
        label=_("审查意见"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=REQUIRED,
        help_text=_("摘录中的档案记载由系统生成，此处只填写经办人的审查意见"),
    )


class ApproveForm(forms.Form):
    note = forms.CharField(label=_("审核意见"), max_length=500, required=False)


class ReleaseForm(forms.Form):
    released_to = forms.CharField(label=_("领取人"), max_length=50, required=False, help_text=_("留空为考察人"))


class ReviewDecideForm(forms.Form):
    to = forms.ChoiceField(
        label=_("办理"),
        choices=[(wf.SUBMITTED, _("退回重新生成")), (wf.REJECTED, _("不予办理")), (wf.WITHDRAWN, _("撤回"))],
    )
    note = forms.CharField(label=_("理由"), max_length=500, required=False)


class PartyApplyForm(forms.Form):
    person_id_number = forms.CharField(label=_("党员身份证号码"), max_length=18, error_messages=REQUIRED)
    direction = forms.ChoiceField(label=_("接转方向"), choices=Direction.choices)
    applicant_kind = forms.ChoiceField(
        label=_("申请人类型"),
        choices=[(ApplicantKind.PERSON, _("党员本人")), (ApplicantKind.ORGANISATION, _("党组织"))],
    )
    applicant_name = forms.CharField(label=_("申请人姓名或党组织名称"), max_length=100, error_messages=REQUIRED)
    applicant_id_number = forms.CharField(label=_("申请人证件号码"), max_length=32, required=False)
    applicant_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    letter_number = forms.CharField(label=_("党员组织关系介绍信编号"), max_length=50, error_messages=REQUIRED)
    issuing_organisation = forms.CharField(label=_("开具介绍信的党组织"), max_length=100, error_messages=REQUIRED)
    receiving_organisation = forms.CharField(label=_("接收党组织"), max_length=100, error_messages=REQUIRED)
    issued_on = forms.DateField(label=_("开具日期"), widget=DateInput, initial=timezone.localdate)
    valid_until = forms.DateField(label=_("有效期至"), widget=DateInput)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    documents = forms.MultipleChoiceField(
        label=_("已收取的材料"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=lambda: _checklist("party_transfer"),
    )


class CompleteForm(forms.Form):
    reported_on = forms.DateField(label=_("报到日期"), widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class PartyDecideForm(forms.Form):
    to = forms.ChoiceField(label=_("办理"), choices=[(wf.REJECTED, _("不予办理")), (wf.WITHDRAWN, _("撤回"))])
    note = forms.CharField(label=_("理由"), max_length=500, required=False)
