"""Input and output serializers of the agreements API (inputs shape; services check the rules)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dangan.agreements import catalogue
from dangan.agreements.fields import INDUSTRY_TABLE, SIZE_TABLE, employer_display
from dangan.agreements.jurisdiction import Situation
from dangan.agreements.models import (
    ChangeField,
    ChangeRecord,
    Employer,
    EmployerAgreement,
    EmployerStatus,
    ExitChoice,
    Notice,
    PersonalAgreement,
    RegistrationAuthority,
    RegistrationLevel,
    Renewal,
    RosterEntry,
)
from dangan.core.codetables import region_name, table

MAX_ID = 2**31 - 1
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)


class NamedChoiceField(serializers.ChoiceField):
    choice_list: ClassVar[list[tuple[str, Any]]] = []

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=self.choice_list, **kwargs)


def enum_field(component: str, choices: Sequence[tuple[str, Any]], description: str) -> type[NamedChoiceField]:
    """A choice field with its own named enum component (other apps have fields of the same names)."""
    field = type(component, (NamedChoiceField,), {"choice_list": list(choices)})
    schema = {"type": "string", "enum": [value for value, _label in choices], "description": description}
    return extend_schema_field(schema, component_name=component)(field)  # type: ignore[no-any-return]


def _describe(choices: Sequence[tuple[str, Any]]) -> str:
    return "，".join(f"{value} {label}" for value, label in choices)


NatureField = enum_field("EmployerNatureEnum", table("employer_nature").choices(), "单位性质（附件1）")
IndustryField = enum_field(
    "EmployerIndustryEnum",
    [(c.code, f"{c.code} {c.name}") for c in table(INDUSTRY_TABLE).codes],
    "行业门类（GB/T 4754-2017 国民经济行业分类门类）：" + _describe(table(INDUSTRY_TABLE).choices()),
)
SizeField = enum_field(
    "EnterpriseSizeEnum",
    table(SIZE_TABLE).choices(),
    "企业规模（《统计上大中小微型企业划分办法（2017）》）：" + _describe(table(SIZE_TABLE).choices()),
)
LevelField = enum_field("RegistrationLevelEnum", RegistrationLevel.choices, _describe(RegistrationLevel.choices))
AuthorityField = enum_field(
    "RegistrationAuthorityEnum", RegistrationAuthority.choices, _describe(RegistrationAuthority.choices)
)
EmployerServiceField = enum_field(
    "EmployerServiceEnum", catalogue.choices(catalogue.EMPLOYER), "单位委托集体存档服务事项（附件1 二）"
)
PersonalServiceField = enum_field(
    "PersonalServiceEnum", catalogue.choices(catalogue.PERSONAL), "个人委托存档服务事项（附件2 二）"
)
SituationField = enum_field("AgreementSituationEnum", Situation.choices, "存档情形（R3、R4）")
PersonalSituationField = enum_field(
    "PersonalSituationEnum",
    [(v, label) for v, label in Situation.choices if v != Situation.COLLECTIVE_DEPARTURE],
    "个人委托存档情形（R3、R4）",
)
ChangeFieldField = enum_field("EmployerChangeFieldEnum", ChangeField.choices, "变更内容")
DissolutionField = enum_field(
    "DissolutionKindEnum",
    [(EmployerStatus.DEREGISTERED, _("注销")), (EmployerStatus.REVOKED, _("吊销"))],
    "deregistered 注销，revoked 吊销",
)
ExitChoiceField = enum_field("ExitChoiceEnum", ExitChoice.choices, _describe(ExitChoice.choices))


class BoundedDateField(serializers.DateField):
    def to_internal_value(self, value: Any) -> datetime.date:
        day: datetime.date = super().to_internal_value(value)
        if not EARLIEST <= day <= LATEST:
            raise serializers.ValidationError(_("日期应在1900年至2100年之间"))
        return day


# --- Inputs -------------------------------------------------------------------------------------


class EmployerIn(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)
    nature = NatureField()
    credit_code = serializers.CharField(max_length=30, help_text="统一社会信用代码（证照号）")
    legal_representative = serializers.CharField(max_length=50)
    founded_on = BoundedDateField()
    registered_capital = serializers.DecimalField(
        max_digits=14, decimal_places=4, min_value=0, required=False, allow_null=True, help_text="注册资金（万元）"
    )
    address = serializers.CharField(max_length=200)
    postcode = serializers.CharField(max_length=10)
    phone = serializers.CharField(max_length=20)
    contact = serializers.CharField(max_length=50)
    contact_post = serializers.CharField(max_length=50)
    remarks = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    industry = IndustryField()
    size = SizeField(help_text="社团法人、民办非企法人等非企业单位为 9 不适用")
    registration_level = LevelField()
    registration_authority = AuthorityField()
    county_code = serializers.CharField(max_length=6, help_text="单位所在区市（GB/T 2260 县级代码）")
    zone_agency = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", help_text="所在功能区机构代码，如 370671"
    )


class ChangeIn(serializers.Serializer[Any]):
    field = ChangeFieldField()
    after = serializers.CharField(max_length=1000, allow_blank=True, help_text="变更后信息")
    effective_on = BoundedDateField(help_text="变更日期")
    reported_on = BoundedDateField(required=False, help_text="单位报告日期，默认今天")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class DissolveIn(serializers.Serializer[Any]):
    kind = DissolutionField()
    on = BoundedDateField(help_text="注销（吊销）日期")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AgreementIn(serializers.Serializer[Any]):
    employer_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    term_years = serializers.IntegerField(min_value=1, max_value=10)
    start_date = BoundedDateField()
    services = serializers.ListField(child=EmployerServiceField(), max_length=10, help_text="至少一项（R23）")
    hr_contact_name = serializers.CharField(max_length=50)
    hr_contact_post = serializers.CharField(max_length=50)
    hr_contact_phone = serializers.CharField(max_length=20)
    supplement = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    moving = serializers.BooleanField(required=False, default=False, help_text="单位从其他机构变更委托存档机构至本机构")
    moving_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RenewIn(serializers.Serializer[Any]):
    years = serializers.IntegerField(min_value=1, max_value=10, help_text="续签年限")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class DecideIn(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="审批意见")


class BreachIn(serializers.Serializer[Any]):
    on = BoundedDateField(help_text="终止日期")
    reason = serializers.CharField(max_length=1000, help_text="违反协议约定的情况")


class RosterIn(serializers.Serializer[Any]):
    dossier_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    joined_on = BoundedDateField(required=False, help_text="纳入日期，默认今天")


class PersonalFormIn(serializers.Serializer[Any]):
    """个人委托存档基本情况登记表; omitted, it is filled from the dossier."""

    name = serializers.CharField(max_length=50)
    sex = serializers.CharField(max_length=10)
    native_place = serializers.CharField(max_length=50, required=False, allow_blank=True)
    work_started_on = serializers.CharField(max_length=50, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=50)
    political_status = serializers.CharField(max_length=50, required=False, allow_blank=True)
    party_joined_on = serializers.CharField(max_length=50, required=False, allow_blank=True)
    education = serializers.CharField(max_length=50, required=False, allow_blank=True)
    professional_title = serializers.CharField(max_length=50, required=False, allow_blank=True)
    school = serializers.CharField(max_length=100, required=False, allow_blank=True)
    former_employer = serializers.CharField(max_length=100, required=False, allow_blank=True)
    home_address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    household_registration = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True)
    remarks = serializers.CharField(max_length=500, required=False, allow_blank=True)


class PlacesIn(serializers.Serializer[Any]):
    household_region = serializers.CharField(max_length=6, required=False, allow_blank=True, default="")
    pre_enrolment_region = serializers.CharField(max_length=6, required=False, allow_blank=True, default="")
    former_employer_region = serializers.CharField(max_length=6, required=False, allow_blank=True, default="")
    work_region = serializers.CharField(max_length=6, required=False, allow_blank=True, default="")


class PersonalTermsIn(serializers.Serializer[Any]):
    start_date = BoundedDateField()
    services = serializers.ListField(child=PersonalServiceField(), max_length=14, help_text="至少一项（R23）")
    form = PersonalFormIn(required=False)


class PersonalIn(PersonalTermsIn):
    dossier_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    situation = PersonalSituationField()
    places = PlacesIn(
        required=False,
        help_text="县级区划代码。户籍所在地、入学前户籍所在地取自档案记录的人员信息，可不填；"
        "填写的须与记录一致，否则不予签订（先通过人员基础信息修改更正记录）",
    )


class DepartureIn(serializers.Serializer[Any]):
    left_on = BoundedDateField(help_text="离职日期")
    choice = ExitChoiceField(help_text="按离职员工意愿：personal 签订个人委托存档协议，transfer 办理档案转出")
    personal = PersonalTermsIn(required=False, help_text="choice 为 personal 时必填")
    transfer_to = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PersonJurisdictionIn(PlacesIn):
    situation = SituationField()


class EmployerJurisdictionIn(serializers.Serializer[Any]):
    registration_level = LevelField()
    county_code = serializers.CharField(max_length=6)
    zone_agency = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class StatusFilterIn(serializers.Serializer[Any]):
    status = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    q = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class DossierIdIn(serializers.Serializer[Any]):
    dossier_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)


# --- Outputs ------------------------------------------------------------------------------------


class OptionOut(serializers.Serializer[Any]):
    agency_code = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="依据（中文，注明规则编号）")


class ChangeOut(serializers.ModelSerializer[ChangeRecord]):
    field_label = serializers.CharField(source="get_field_display")
    field = serializers.CharField()  # type: ignore[assignment]
    employer_name = serializers.CharField(source="employer.name")

    class Meta:
        model = ChangeRecord
        fields = [
            "id", "employer_id", "employer_name", "field", "field_label", "before", "after", "effective_on",
            "reported_on", "overdue", "note",
        ]  # fmt: skip


class EmployerOut(serializers.ModelSerializer[Employer]):
    agency = serializers.CharField(source="agency.short_name")
    nature = serializers.CharField()
    nature_label = serializers.SerializerMethodField()
    industry = serializers.CharField(help_text="行业门类（GB/T 4754-2017 门类字母）；早于此项登记的单位为空")
    industry_label = serializers.SerializerMethodField()
    size = serializers.CharField(
        help_text="企业规模代码：1 大型，2 中型，3 小型，4 微型，9 不适用；早于此项登记的单位为空"
    )
    size_label = serializers.SerializerMethodField()
    registered_capital = serializers.SerializerMethodField(help_text="注册资金（万元）")
    registration_level = serializers.CharField()
    registration_authority = serializers.CharField()
    county_name = serializers.SerializerMethodField()
    zone_agency = serializers.SerializerMethodField(help_text="所在功能区机构代码")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Employer
        fields = [
            "id", "agency", "registration_no", "registered_on", "name", "nature", "nature_label", "credit_code",
            "legal_representative", "founded_on", "registered_capital", "address", "postcode", "phone", "contact",
            "contact_post", "remarks", "industry", "industry_label", "size", "size_label", "registration_level",
            "registration_authority", "county_code", "county_name", "zone_agency", "status", "status_label",
            "dissolved_on", "dissolution_note",
        ]  # fmt: skip

    def get_nature_label(self, obj: Employer) -> str:
        return employer_display("nature", obj.nature)

    def get_industry_label(self, obj: Employer) -> str:
        return employer_display("industry", obj.industry)

    def get_size_label(self, obj: Employer) -> str:
        return employer_display("size", obj.size)

    def get_registered_capital(self, obj: Employer) -> str | None:
        return employer_display("registered_capital", obj.registered_capital) or None

    def get_county_name(self, obj: Employer) -> str:
        return region_name(obj.county_code)

    def get_zone_agency(self, obj: Employer) -> str | None:
        return obj.zone_agency.code if obj.zone_agency is not None else None


class AgreementOut(serializers.ModelSerializer[EmployerAgreement]):
    agency = serializers.CharField(source="agency.short_name")
    employer_name = serializers.CharField(source="employer.name")
    services = serializers.ListField(child=serializers.CharField(), help_text="服务事项代码")
    service_numbers = serializers.SerializerMethodField(help_text="服务事项序号，如 1、2、5")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    end_reason = serializers.CharField()
    end_reason_label = serializers.CharField(source="get_end_reason_display")

    class Meta:
        model = EmployerAgreement
        fields = [
            "id", "agency", "employer_id", "employer_name", "credit_code", "term_years", "start_date", "end_date",
            "services", "service_numbers", "hr_contact_name", "hr_contact_post", "hr_contact_phone", "supplement",
            "status", "status_label", "end_reason", "end_reason_label", "ended_on", "end_note",
        ]  # fmt: skip

    def get_service_numbers(self, obj: EmployerAgreement) -> str:
        return catalogue.numbers(catalogue.EMPLOYER, list(obj.services))


class RenewalOut(serializers.ModelSerializer[Renewal]):
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Renewal
        fields = ["id", "agreement_id", "years", "applied_on", "status", "status_label", "previous_end_date",
                  "new_end_date", "note"]  # fmt: skip


class RosterEntryOut(serializers.ModelSerializer[RosterEntry]):
    dossier_number = serializers.CharField(source="dossier.number")
    name = serializers.CharField(source="dossier.person.name")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    exit_choice = serializers.CharField()

    class Meta:
        model = RosterEntry
        fields = ["id", "agreement_id", "dossier_id", "dossier_number", "name", "joined_on", "status", "status_label",
                  "left_on", "exit_choice", "transfer_to", "personal_agreement_id"]  # fmt: skip


class EmployerDetailOut(EmployerOut):
    changes = ChangeOut(many=True, help_text="信息变更登记")
    agreements = AgreementOut(many=True)
    competent_agencies = OptionOut(many=True, help_text="可为该单位存档的机构及依据（R2）")

    class Meta(EmployerOut.Meta):
        fields = [*EmployerOut.Meta.fields, "changes", "agreements", "competent_agencies"]


class AgreementDetailOut(AgreementOut):
    renewals = RenewalOut(many=True)
    roster = RosterEntryOut(many=True, help_text="委托存档人员名册")

    class Meta(AgreementOut.Meta):
        fields = [*AgreementOut.Meta.fields, "renewals", "roster"]


class PersonalAgreementOut(serializers.ModelSerializer[PersonalAgreement]):
    agency = serializers.CharField(source="agency.short_name")
    dossier_number = serializers.CharField(source="dossier.number")
    services = serializers.ListField(child=serializers.CharField())
    service_numbers = serializers.SerializerMethodField()
    situation_label = serializers.SerializerMethodField()
    places = serializers.DictField(child=serializers.CharField(), help_text="相关地点（县级区划代码）")
    form = serializers.DictField(child=serializers.CharField(allow_blank=True), help_text="签订时的基本情况登记表")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    end_reason = serializers.CharField()
    end_reason_label = serializers.CharField(source="get_end_reason_display")

    class Meta:
        model = PersonalAgreement
        fields = [
            "id", "agency", "dossier_id", "dossier_number", "start_date", "services", "service_numbers", "situation",
            "situation_label", "places", "form", "status", "status_label", "end_reason", "end_reason_label",
            "ended_on", "end_note",
        ]  # fmt: skip

    def get_service_numbers(self, obj: PersonalAgreement) -> str:
        return catalogue.numbers(catalogue.PERSONAL, list(obj.services))

    def get_situation_label(self, obj: PersonalAgreement) -> str:
        return str(Situation(obj.situation).label) if obj.situation in Situation.values else obj.situation


class PersonalFormOut(serializers.Serializer[Any]):
    form = serializers.DictField(child=serializers.CharField(allow_blank=True), help_text="预填的基本情况登记表")
    household_region = serializers.CharField(allow_blank=True)
    pre_enrolment_region = serializers.CharField(allow_blank=True)


class DossierBriefOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField(source="person.name")
    entrustment_type = serializers.CharField()


class DissolvedEmployerOut(EmployerOut):
    open_dossiers = serializers.IntegerField(help_text="尚未办结的员工档案数")

    class Meta(EmployerOut.Meta):
        fields = [*EmployerOut.Meta.fields, "open_dossiers"]


class RemindersOut(serializers.Serializer[Any]):
    expiring = AgreementOut(many=True, help_text="一个月内期满的协议")
    lapsed = AgreementOut(many=True, help_text="已过期未续签的协议")
    overdue_changes = ChangeOut(many=True, help_text="逾期报告的信息变更")
    dissolved = DissolvedEmployerOut(many=True, help_text="已注销（吊销）仍有档案未办结的单位")
    uncovered_count = serializers.IntegerField(help_text="本机构保管但未纳入履行中协议的档案数")


class NoticeOut(serializers.ModelSerializer[Notice]):
    agency = serializers.CharField(source="agency.name")

    class Meta:
        model = Notice
        fields = ["id", "agency", "title", "body", "effective_on", "published_at"]
