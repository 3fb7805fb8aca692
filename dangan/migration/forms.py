from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangan.agencies.models import Agency
from dangan.core.errors import ApplicationError
from dangan.migration.policies import custodian_choices


class UploadForm(forms.Form):
    ledger = forms.FileField(
        label=_("档案台账"),
        help_text=_("平台模板（.xlsx，含“材料目录”工作表）或 CSV 文件（UTF-8 或 GBK 编码）"),
        error_messages={"required": _("请选择档案台账文件")},
    )
    materials = forms.FileField(label=_("材料目录"), required=False, help_text=_("台账为 CSV 时，材料目录另附一个文件"))
    custodian = forms.TypedChoiceField(label=_("实物保管机构"), coerce=int, help_text=_("R47：可由市级中心集中保管"))
    default_source = forms.CharField(
        label=_("默认档案来源"),
        max_length=100,
        required=False,
        help_text=_("台账未填“档案来源”时使用，如整体移交档案的原行业主管部门人才服务机构名称"),
    )
    renumber = forms.BooleanField(
        label=_("按本机构规则重新编号"), required=False, help_text=_("原档案编号记入“档案来源”")
    )
    dry_run = forms.BooleanField(label=_("试运行（只校验，不写入）"), required=False, initial=True)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = custodian_choices(agency)
        self.fields["custodian"].choices = [(a.pk, a.name) for a in choices]  # type: ignore[attr-defined]
        default = agency.default_custodian if agency.default_custodian in choices else agency
        self.fields["custodian"].initial = default.pk if default else agency.pk

    def add_service_error(self, exc: ApplicationError) -> None:
        placed = False
        for name, messages in exc.fields.items():
            if name in self.fields:
                for message in messages:
                    self.add_error(name, message)
                placed = True
        if not placed:
            self.add_error(None, exc.message)
