"""REST endpoints of employers and agreements: one per action, thin, calling the services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dangan.agencies.models import Agency
from dangan.agencies.policies import staff_of
from dangan.agreements import documents, jurisdiction, selectors, services
from dangan.agreements.api import serializers as s
from dangan.agreements.fields import check_county
from dangan.agreements.models import AgreementStatus, Employer, EmployerAgreement, Notice, PersonalAgreement
from dangan.agreements.policies import can_view_agreements
from dangan.core.errors import NotFound, ValidationFailed
from dangan.core.pdf import pdf_response
from dangan.dossiers.models import Dossier
from dangan.dossiers.selectors import dossier_for_action, dossiers_visible_to

TAG = ["agreements"]
PDF = {(200, "application/pdf"): OpenApiTypes.BINARY}
STATUS_PARAM = OpenApiParameter(
    "status", str, enum=list(AgreementStatus.values), description="in_force 履行中，expired 期满终止，ended 已终止"
)


class AgreementsReader(permissions.BasePermission):
    message = "您的岗位无权查看委托存档协议"

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_view_agreements(request.user)


class ReaderView(APIView):
    permission_classes = [permissions.IsAuthenticated, AgreementsReader]


def _filters(request: Request) -> dict[str, Any]:
    query = s.StatusFilterIn(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


# --- Employers ----------------------------------------------------------------------------------


class EmployerListView(generics.ListAPIView[Employer], ReaderView):
    serializer_class = s.EmployerOut

    def get_queryset(self) -> QuerySet[Employer]:
        return selectors.employers_visible_to(self.request.user, _filters(self.request)["q"])

    @extend_schema(
        summary="委托集体存档单位列表",
        tags=TAG,
        parameters=[OpenApiParameter("q", str, description="单位名称、统一社会信用代码或登记编号")],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="登记委托集体存档单位（基本情况登记表，R27）",
        tags=TAG,
        request=s.EmployerIn,
        responses={201: s.EmployerOut},
    )
    def post(self, request: Request) -> Response:
        data = s.EmployerIn(data=request.data)
        data.is_valid(raise_exception=True)
        employer = services.employer_register(actor=request.user, data=dict(data.validated_data))
        return Response(s.EmployerOut(employer).data, status=status.HTTP_201_CREATED)


def _employer_body(request: Request, employer_id: int) -> Any:
    employer = selectors.employer_for(request.user, employer_id)
    body = s.EmployerOut(employer).data
    body["changes"] = s.ChangeOut(employer.changes.select_related("employer").order_by("pk"), many=True).data
    body["agreements"] = s.AgreementOut(
        employer.agreements.select_related("agency", "employer").order_by("-start_date", "-pk"), many=True
    ).data
    body["competent_agencies"] = s.OptionOut(selectors.employer_options(employer), many=True).data
    return body


class EmployerDetailView(ReaderView):
    @extend_schema(
        summary="查看单位：登记表、协议、变更登记及可存档机构", tags=TAG, responses={200: s.EmployerDetailOut}
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_employer_body(request, pk))


class EmployerChangeView(ReaderView):
    @extend_schema(
        summary="单位信息变更登记（变更登记表，R28；逾期一个月以上标记）",
        tags=TAG,
        request=s.ChangeIn,
        responses={201: s.ChangeOut},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = s.ChangeIn(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.employer_change_record(actor=request.user, employer_id=pk, **data.validated_data)
        return Response(s.ChangeOut(change).data, status=status.HTTP_201_CREATED)


class EmployerDissolveView(ReaderView):
    @extend_schema(
        summary="单位注销或吊销登记（协议自该日起终止，R22）",
        tags=TAG,
        request=s.DissolveIn,
        responses={200: s.EmployerOut},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = s.DissolveIn(data=request.data)
        data.is_valid(raise_exception=True)
        employer = services.employer_dissolve(actor=request.user, employer_id=pk, **data.validated_data)
        return Response(s.EmployerOut(employer).data)


class EmployerFormView(ReaderView):
    @extend_schema(summary="打印单位基本情况登记表及变更登记表（PDF）", tags=TAG, responses=PDF)
    def get(self, request: Request, pk: int) -> HttpResponse:
        employer = selectors.employer_for(request.user, pk)
        return pdf_response(documents.employer_agreement_pdf(None, employer), f"登记表-{employer.registration_no}.pdf")


# --- Employer agreements ------------------------------------------------------------------------


class AgreementListView(generics.ListAPIView[EmployerAgreement], ReaderView):
    serializer_class = s.AgreementOut

    def get_queryset(self) -> QuerySet[EmployerAgreement]:
        return selectors.agreements_visible_to(self.request.user, _filters(self.request)["status"])

    @extend_schema(summary="单位委托集体存档协议列表", tags=TAG, parameters=[STATUS_PARAM])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="签订单位委托集体存档协议（R2 存档机构、R23 服务事项、R24 只在一家机构）",
        tags=TAG,
        request=s.AgreementIn,
        responses={201: s.AgreementOut},
    )
    def post(self, request: Request) -> Response:
        data = s.AgreementIn(data=request.data)
        data.is_valid(raise_exception=True)
        agreement = services.employer_agreement_sign(actor=request.user, **data.validated_data)
        return Response(s.AgreementOut(agreement).data, status=status.HTTP_201_CREATED)


def _agreement_body(request: Request, pk: int) -> Any:
    agreement = selectors.agreement_for(request.user, pk)
    body = s.AgreementOut(agreement).data
    body["renewals"] = s.RenewalOut(selectors.renewals_of(agreement), many=True).data
    body["roster"] = s.RosterEntryOut(selectors.roster_of(agreement), many=True).data
    return body


class AgreementDetailView(ReaderView):
    @extend_schema(summary="查看单位委托集体存档协议（续签及名册）", tags=TAG, responses={200: s.AgreementDetailOut})
    def get(self, request: Request, pk: int) -> Response:
        return Response(_agreement_body(request, pk))


class AgreementRenewView(ReaderView):
    @extend_schema(
        summary="申请续签（协议期满前一个月内，R22）", tags=TAG, request=s.RenewIn, responses={201: s.RenewalOut}
    )
    def post(self, request: Request, pk: int) -> Response:
        data = s.RenewIn(data=request.data)
        data.is_valid(raise_exception=True)
        renewal = services.employer_agreement_renewal_apply(actor=request.user, agreement_id=pk, **data.validated_data)
        return Response(s.RenewalOut(renewal).data, status=status.HTTP_201_CREATED)


class RenewalDecideView(ReaderView):
    approve = True

    def post(self, request: Request, pk: int, renewal_id: int) -> Response:
        agreement = selectors.agreement_for(request.user, pk)
        if not agreement.renewals.filter(pk=renewal_id).exists():
            raise NotFound("续签申请不存在或无权查看")
        data = s.DecideIn(data=request.data)
        data.is_valid(raise_exception=True)
        renewal = services.employer_agreement_renewal_decide(
            actor=request.user, renewal_id=renewal_id, approve=self.approve, note=data.validated_data["note"]
        )
        return Response(s.RenewalOut(renewal).data)


class RenewalApproveView(RenewalDecideView):
    approve = True

    @extend_schema(
        summary="批准续签（审批负责人；协议延长一个新期限）",
        tags=TAG,
        request=s.DecideIn,
        responses={200: s.RenewalOut},
    )
    def post(self, request: Request, pk: int, renewal_id: int) -> Response:
        return super().post(request, pk, renewal_id)


class RenewalRejectView(RenewalDecideView):
    approve = False

    @extend_schema(
        summary="不予续签（审批负责人，须说明理由）", tags=TAG, request=s.DecideIn, responses={200: s.RenewalOut}
    )
    def post(self, request: Request, pk: int, renewal_id: int) -> Response:
        return super().post(request, pk, renewal_id)


class AgreementEndView(ReaderView):
    @extend_schema(
        summary="因违反协议约定终止协议（审批负责人，附件1 七）",
        tags=TAG,
        request=s.BreachIn,
        responses={200: s.AgreementOut},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = s.BreachIn(data=request.data)
        data.is_valid(raise_exception=True)
        agreement = services.employer_agreement_end_for_breach(
            actor=request.user, agreement_id=pk, **data.validated_data
        )
        return Response(s.AgreementOut(agreement).data)


class RosterJoinView(ReaderView):
    @extend_schema(
        summary="纳入委托存档人员名册（档案转为单位委托集体存档）",
        tags=TAG,
        request=s.RosterIn,
        responses={201: s.RosterEntryOut},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = s.RosterIn(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.roster_join(actor=request.user, agreement_id=pk, **data.validated_data)
        return Response(s.RosterEntryOut(entry).data, status=status.HTTP_201_CREATED)


def _terms(data: dict[str, Any] | None) -> services.PersonalTerms | None:
    if data is None:
        return None
    form = data.get("form")
    return services.PersonalTerms(
        start_date=data["start_date"], services=list(data["services"]), form=dict(form) if form is not None else None
    )


class DepartureView(ReaderView):
    @extend_schema(
        summary="员工离职报告：按本人意愿转个人委托存档或待转出（附件1 三6）",
        tags=TAG,
        request=s.DepartureIn,
        responses={200: s.RosterEntryOut},
    )
    def post(self, request: Request, entry_id: int) -> Response:
        data = s.DepartureIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        entry = services.roster_departure_report(
            actor=request.user, entry_id=entry_id, left_on=values["left_on"], choice=values["choice"],
            personal=_terms(values.get("personal")), transfer_to=values["transfer_to"], note=values["note"],
        )  # fmt: skip
        entry = selectors.entry_for(request.user, entry.pk)
        return Response(s.RosterEntryOut(entry).data)


class AgreementDocumentView(ReaderView):
    @extend_schema(summary="打印单位委托集体存档协议及登记表（附件1，PDF）", tags=TAG, responses=PDF)
    def get(self, request: Request, pk: int) -> HttpResponse:
        agreement = selectors.agreement_for(request.user, pk)
        return pdf_response(documents.employer_agreement_pdf(agreement), f"单位委托集体存档协议-{agreement.pk}.pdf")


class AgreementBlankView(ReaderView):
    @extend_schema(summary="空白单位委托集体存档协议及登记表（附件1，PDF）", tags=TAG, responses=PDF)
    def get(self, request: Request) -> HttpResponse:
        return pdf_response(documents.employer_agreement_pdf(None), "单位委托集体存档协议.pdf")


# --- Personal agreements ------------------------------------------------------------------------


class PersonalListView(generics.ListAPIView[PersonalAgreement], ReaderView):
    serializer_class = s.PersonalAgreementOut

    def get_queryset(self) -> QuerySet[PersonalAgreement]:
        return selectors.personal_agreements_visible_to(self.request.user, _filters(self.request)["status"])

    @extend_schema(summary="个人委托存档协议列表", tags=TAG, parameters=[STATUS_PARAM])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="签订个人委托存档协议（R3、R4 存档机构，R23 服务事项，R27 登记表）",
        tags=TAG,
        request=s.PersonalIn,
        responses={201: s.PersonalAgreementOut},
    )
    def post(self, request: Request) -> Response:
        data = s.PersonalIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        dossier = dossier_for_action(request.user, values["dossier_id"])
        # The household and pre-enrolment registration come from the person's record (the service, R3, R4).
        places = dict(values.get("places") or {})
        terms = _terms(values)
        assert terms is not None
        agreement = services.personal_agreement_sign(
            actor=request.user, dossier_id=dossier.pk, start_date=terms.start_date, services=terms.services,
            situation=values["situation"], places=jurisdiction.Places(**places), form=terms.form,
        )  # fmt: skip
        return Response(s.PersonalAgreementOut(agreement).data, status=status.HTTP_201_CREATED)


class PersonalDetailView(ReaderView):
    @extend_schema(summary="查看个人委托存档协议", tags=TAG, responses={200: s.PersonalAgreementOut})
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.PersonalAgreementOut(selectors.personal_agreement_for(request.user, pk)).data)


class PersonalEndView(ReaderView):
    @extend_schema(
        summary="因违反协议约定终止个人委托存档协议（审批负责人，附件2 七）",
        tags=TAG,
        request=s.BreachIn,
        responses={200: s.PersonalAgreementOut},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = s.BreachIn(data=request.data)
        data.is_valid(raise_exception=True)
        agreement = services.personal_agreement_end_for_breach(
            actor=request.user, agreement_id=pk, **data.validated_data
        )
        return Response(s.PersonalAgreementOut(selectors.personal_agreement_for(request.user, agreement.pk)).data)


class PersonalDocumentView(ReaderView):
    @extend_schema(summary="打印个人委托存档协议及登记表（附件2，PDF）", tags=TAG, responses=PDF)
    def get(self, request: Request, pk: int) -> HttpResponse:
        agreement = selectors.personal_agreement_for(request.user, pk)
        return pdf_response(documents.personal_agreement_pdf(agreement), f"个人委托存档协议-{agreement.pk}.pdf")


class PersonalBlankView(ReaderView):
    @extend_schema(summary="空白个人委托存档协议及登记表（附件2，PDF）", tags=TAG, responses=PDF)
    def get(self, request: Request) -> HttpResponse:
        return pdf_response(documents.personal_agreement_pdf(None), "个人委托存档协议.pdf")


class PersonalPrefillView(ReaderView):
    @extend_schema(
        summary="按档案预填个人委托存档基本情况登记表",
        tags=TAG,
        parameters=[OpenApiParameter("dossier_id", int, required=True, description="档案")],
        responses={200: s.PersonalFormOut},
    )
    def get(self, request: Request) -> Response:
        query = s.DossierIdIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        dossier = dossier_for_action(request.user, query.validated_data["dossier_id"])
        body = {
            "form": selectors.personal_form_prefill(dossier),
            "household_region": dossier.person.household_region,
            "pre_enrolment_region": dossier.person.pre_enrolment_region,
        }
        return Response(s.PersonalFormOut(body).data)


# --- Who serves whom, reminders -----------------------------------------------------------------


def _check_places(values: dict[str, Any]) -> jurisdiction.Places:
    places = jurisdiction.Places(**{k: values.get(k, "") for k in jurisdiction.Places.__dataclass_fields__})
    errors = {k: [p] for k, v in places.as_dict().items() if (p := check_county(v))}
    if errors:
        raise ValidationFailed("地点填写有误，请填写县级行政区划代码", fields=errors)
    return places


class PersonJurisdictionView(ReaderView):
    @extend_schema(
        summary="个人档案由哪些机构存档（R3、R4，附依据）",
        tags=TAG,
        parameters=[s.PersonJurisdictionIn],
        responses={200: s.OptionOut(many=True)},
    )
    def get(self, request: Request) -> Response:
        query = s.PersonJurisdictionIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = dict(query.validated_data)
        staff = staff_of(request.user)
        options = selectors.holding_options(
            situation=values["situation"], places=_check_places(values), current_holder=staff.agency if staff else None
        )
        return Response(s.OptionOut(options, many=True).data)


class EmployerJurisdictionView(ReaderView):
    @extend_schema(
        summary="单位档案由哪些机构存档（R2，附依据）",
        tags=TAG,
        parameters=[s.EmployerJurisdictionIn],
        responses={200: s.OptionOut(many=True)},
    )
    def get(self, request: Request) -> Response:
        query = s.EmployerJurisdictionIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = dict(query.validated_data)
        if problem := check_county(values["county_code"]):
            raise ValidationFailed(problem, fields={"county_code": [problem]})
        zone = None
        if values["zone_agency"]:
            zone = (
                Agency.objects.filter(code=values["zone_agency"], region_code=values["county_code"])
                .exclude(statistical_code="")
                .first()
            )
            if zone is None:
                raise ValidationFailed("功能区无效", fields={"zone_agency": ["功能区无效或不在该区市"]})
        options = jurisdiction.for_employer(
            registration_level=values["registration_level"], county_code=values["county_code"], zone_agency=zone
        )
        return Response(s.OptionOut(options, many=True).data)


class RemindersView(ReaderView):
    @extend_schema(
        summary="协议提醒：即将期满、逾期变更、注销仍有档案、未纳入协议的档案",
        tags=TAG,
        responses={200: s.RemindersOut},
    )
    def get(self, request: Request) -> Response:
        found = selectors.reminders_for(request.user, timezone.localdate())
        body = {
            "expiring": found.expiring, "lapsed": found.lapsed, "overdue_changes": found.overdue_changes,
            "dissolved": found.dissolved, "uncovered_count": found.uncovered_count,
        }  # fmt: skip
        return Response(s.RemindersOut(body).data)


class WithoutAgreementView(generics.ListAPIView[Dossier], ReaderView):
    serializer_class = s.DossierBriefOut

    def get_queryset(self) -> QuerySet[Dossier]:
        staff = staff_of(self.request.user)
        if staff is None:
            return Dossier.objects.none()
        visible = dossiers_visible_to(self.request.user).values("pk")
        return selectors.dossiers_without_agreement(staff.agency).filter(pk__in=visible)

    @extend_schema(summary="本机构保管但未纳入任何履行中协议的档案", tags=TAG)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class NoticeListView(generics.ListAPIView[Notice]):
    """Public notices are for every party: any authenticated user reads them (R29)."""

    serializer_class = s.NoticeOut
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[Notice]:
        return selectors.notices_published()

    @extend_schema(summary="服务事项变更公告（R29）", tags=TAG)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
