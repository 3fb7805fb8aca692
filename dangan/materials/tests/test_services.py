"""Receive, appraise and file: who may, in what order, and what a refusal leaves behind (R10, R11, R20)."""

import datetime
import re

import pytest
from django.forms.models import model_to_dict

from dangan.agencies.models import Role
from dangan.audit.models import AuditEvent
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.dossiers.models import Dossier, DossierStatus, Gap, GapStatus
from dangan.materials.models import Material
from dangan.materials.services import material_appraise, material_file, material_receive
from dangan.materials.tests.conftest import material_input


def state(*materials):
    """What a refused action must leave untouched: the rows and the audit log."""
    rows = [model_to_dict(Material.objects.get(pk=m.pk)) for m in materials]
    return rows, AuditEvent.objects.count(), Material.objects.count()


# --- receive ------------------------------------------------------------------------------------


@pytest.mark.rule("R10")
@pytest.mark.parametrize("role", ["clerk", "counter", "keeper"])
def test_r10_data_clerk_counter_clerk_or_keeper_registers_a_material(zhifu, receive, role):
    material = receive(actor=getattr(zhifu, role), formed_on=datetime.date(2015, 6, 18), formed_precision="month")
    assert material.status == "received"
    assert material.formed_on == datetime.date(2015, 6, 1)  # a month is kept as its first day
    assert material.formed_display == "2015.06"
    assert material.received_by == getattr(zhifu, role)
    event = AuditEvent.objects.get(action="material.received")
    assert event.dossier_id == zhifu.dossier.pk
    assert event.subject_id == str(material.pk)
    assert event.after["title"] == "干部履历表"


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"material_class": "4"}, "material_class"),  # a class with sub-classes: the sub-class is required
        ({"material_class": "11"}, "material_class"),
        ({"title": "  "}, "title"),
        ({"pages": 0}, "pages"),
        ({"copies": 0}, "copies"),
        ({"formed_on": None, "formed_precision": "day"}, "formed_on"),
        ({"formed_on": datetime.date(2099, 1, 1)}, "formed_on"),
        ({"formed_precision": "week"}, "formed_precision"),
        ({"source": "courier"}, "source"),
        ({"received_on": datetime.date(2099, 1, 1)}, "received_on"),
        ({"received_on": datetime.date(2010, 1, 1)}, "received_on"),  # before it was formed
    ],
)
def test_invalid_material_is_refused_field_by_field_and_nothing_is_written(zhifu, receive, fields, bad):
    with pytest.raises(ValidationFailed) as refused:
        receive(**fields)
    assert bad in refused.value.fields
    assert re.search("[\u4e00-\u9fff]", refused.value.fields[bad][0])  # in Chinese
    assert Material.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_undated_material_is_accepted_without_a_date(zhifu, receive):
    material = receive(formed_on=None, formed_precision="undated")
    assert material.formed_on is None
    assert material.formed_display == ""


@pytest.mark.rule("R10")
@pytest.mark.parametrize(("who", "error"), [("approver", PermissionDenied), ("bare", PermissionDenied),
                                            ("supervisor", PermissionDenied), ("laizhou", NotFound)])  # fmt: skip
def test_r10_other_roles_and_other_agencies_cannot_register(zhifu, receive, who, error):
    with pytest.raises(error):
        receive(actor=getattr(zhifu, who))
    assert Material.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_dossier_that_left_receives_no_materials(zhifu, receive):
    Dossier.objects.filter(pk=zhifu.dossier.pk).update(status=DossierStatus.TRANSFERRED_OUT)
    with pytest.raises(Conflict, match="转交"):
        receive()
    assert Material.objects.count() == 0


# --- R11: a material that arrives for an intake gap closes it -----------------------------------


@pytest.mark.rule("R11")
def test_r11_material_that_arrives_for_an_intake_gap_closes_it(zhifu, receive, make_gap):
    gap = make_gap(material_class="4-1", title="学士学位证书")
    material = receive(material_class="4-1", title="学士学位证书", gap_id=gap.pk)
    gap.refresh_from_db()
    assert gap.status == GapStatus.CLOSED
    assert gap.material_id == material.pk
    assert gap.closed_by == zhifu.clerk
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["material.received", "gap.closed"]


@pytest.mark.rule("R11")
def test_r11_a_sub_class_material_closes_a_gap_named_by_its_class(receive, make_gap):
    gap = make_gap(material_class="4", title="学历材料")
    receive(material_class="4-1", title="毕业证书", gap_id=gap.pk)
    gap.refresh_from_db()
    assert gap.status == GapStatus.CLOSED


@pytest.mark.rule("R11")
def test_r11_material_that_arrives_for_an_escalated_gap_still_closes_it(zhifu, receive, make_gap):
    """R11 clause: the gaps are followed up until closed — escalation as overdue does not end the follow-up."""
    gap = make_gap(material_class="4-1", title="学士学位证书")
    Gap.objects.filter(pk=gap.pk).update(status=GapStatus.ESCALATED)
    material = receive(material_class="4-1", title="学士学位证书", gap_id=gap.pk)
    gap.refresh_from_db()
    assert (gap.status, gap.material_id, gap.closed_by) == (GapStatus.CLOSED, material.pk, zhifu.clerk)
    received = AuditEvent.objects.get(action="material.received")
    assert (received.after["gap"], received.after["gap_status"]) == (gap.pk, GapStatus.ESCALATED)
    assert AuditEvent.objects.filter(action="gap.closed", subject_id=str(gap.pk)).exists()


@pytest.mark.rule("R11")
def test_r11_gap_of_another_dossier_or_class_or_already_closed_is_refused(zhifu, receive, make_gap, make_dossier):
    other = make_gap(dossier=make_dossier("370602"))
    wrong_class = make_gap(material_class="6", title="入党志愿书")
    closed = make_gap()
    Gap.objects.filter(pk=closed.pk).update(status=GapStatus.CLOSED)
    for gap in (other, wrong_class, closed):
        with pytest.raises(ValidationFailed) as refused:
            receive(material_class="4-1", title="学士学位证书", gap_id=gap.pk)
        assert "gap" in refused.value.fields
    assert Material.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    assert Gap.objects.filter(status=GapStatus.OPEN).count() == 2


# --- appraise -----------------------------------------------------------------------------------


@pytest.mark.rule("R10")
@pytest.mark.parametrize("role", ["approver", "keeper"])
def test_r10_approver_or_keeper_accepts_a_material(zhifu, receive, role):
    material = receive()
    material = material_appraise(actor=getattr(zhifu, role), material_id=material.pk, decision="accept", note="完整")
    assert material.status == "accepted"
    assert material.appraised_by == getattr(zhifu, role)
    event = AuditEvent.objects.get(action="material.accepted")
    assert event.before == {"status": "received"}
    assert event.after["status"] == "accepted"


@pytest.mark.rule("R10")
def test_r10_return_needs_one_of_the_reasons_and_records_it(zhifu, receive):
    material = receive()
    before = state(material)
    with pytest.raises(ValidationFailed) as refused:
        material_appraise(actor=zhifu.approver, material_id=material.pk, decision="return", return_reason="ugly")
    assert "return_reason" in refused.value.fields
    assert state(material) == before
    material = material_appraise(
        actor=zhifu.approver, material_id=material.pk, decision="return", return_reason="unsigned_unstamped"
    )
    assert material.status == "returned"
    assert material.get_return_reason_display() == "未签字盖章"
    assert AuditEvent.objects.get(action="material.returned").reason == "未签字盖章"


@pytest.mark.rule("R20")
def test_r20_a_zhuanzheng_dingji_form_cannot_be_accepted_and_is_returned_as_abolished(zhifu, receive):
    material = receive(material_class="9-1", title="转正定级审批表", formed_on=datetime.date(1999, 7, 1))
    before = state(material)
    with pytest.raises(ValidationFailed, match="R20") as refused:
        material_appraise(actor=zhifu.approver, material_id=material.pk, decision="accept")
    assert refused.value.code == "abolished_material"
    assert state(material) == before  # nothing changed, no audit event
    material = material_appraise(
        actor=zhifu.approver, material_id=material.pk, decision="return", return_reason="abolished"
    )
    assert material.status == "returned"
    assert material.return_reason == "abolished"
    event = AuditEvent.objects.get(action="material.returned")
    assert event.after["return_reason"] == "abolished"
    assert "R20" in event.reason


@pytest.mark.rule("R20")
def test_r20_a_2016_wage_adjustment_form_cannot_be_accepted(zhifu, receive):
    form_2016 = receive(material_class="9-1", title="2016年度工资审批表", formed_on=datetime.date(2016, 10, 1))
    with pytest.raises(ValidationFailed, match="R20"):
        material_appraise(actor=zhifu.keeper, material_id=form_2016.pk, decision="accept")
    old = receive(material_class="9-1", title="1998年工资审批表", formed_on=datetime.date(1998, 1, 1))
    assert material_appraise(actor=zhifu.keeper, material_id=old.pk, decision="accept").status == "accepted"


@pytest.mark.rule("R10")
def test_r10_separation_of_duties_whoever_received_a_material_does_not_appraise_it(zhifu, receive):
    material = receive(actor=zhifu.keeper)
    before = state(material)
    with pytest.raises(PermissionDenied, match="岗位分离") as refused:
        material_appraise(actor=zhifu.keeper, material_id=material.pk, decision="accept")
    assert refused.value.code == "separation_of_duties"
    assert state(material) == before
    assert material_appraise(actor=zhifu.approver, material_id=material.pk, decision="accept").status == "accepted"


@pytest.mark.parametrize(("who", "error"), [("clerk", PermissionDenied), ("counter", PermissionDenied),
                                            ("supervisor", PermissionDenied), ("laizhou", NotFound)])  # fmt: skip
def test_other_roles_cannot_appraise(zhifu, receive, who, error):
    material = receive(actor=zhifu.counter)
    before = state(material)
    with pytest.raises(error):
        material_appraise(actor=getattr(zhifu, who), material_id=material.pk, decision="accept")
    assert state(material) == before


def test_a_material_is_appraised_once(zhifu, receive):
    material = receive()
    material_appraise(actor=zhifu.approver, material_id=material.pk, decision="accept")
    before = state(material)
    with pytest.raises(Conflict):
        material_appraise(actor=zhifu.approver, material_id=material.pk, decision="return", return_reason="incomplete")
    assert state(material) == before


def test_missing_material_is_not_found(zhifu):
    with pytest.raises(NotFound):
        material_appraise(actor=zhifu.approver, material_id=999_999, decision="accept")
    with pytest.raises(NotFound):
        material_file(actor=zhifu.keeper, material_id=2**70)


# --- file ---------------------------------------------------------------------------------------


def _sequences(dossier, material_class="1"):
    return list(
        Material.objects.filter(dossier=dossier, material_class=material_class, status="filed")
        .order_by("sequence")
        .values_list("title", "sequence")
    )


@pytest.mark.rule("R10")
def test_r10_filing_numbers_from_one_within_the_class_in_date_order_and_renumbers(zhifu, filed):
    filed(title="B 2012", formed_on=datetime.date(2012, 5, 1))
    filed(title="C 2015", formed_on=datetime.date(2015, 1, 1), formed_precision="year")
    older = filed(title="A 2010", formed_on=datetime.date(2010, 8, 1))  # older: renumbers the class
    assert older.sequence == 1
    assert _sequences(zhifu.dossier) == [("A 2010", 1), ("B 2012", 2), ("C 2015", 3)]
    event = AuditEvent.objects.filter(action="material.filed").order_by("-seq").first()
    assert event.after["sequence"] == 1
    assert {(r["from"], r["to"]) for r in event.after["renumbered"]} == {(1, 2), (2, 3)}


@pytest.mark.rule("R10")
def test_r10_year_only_dates_sort_at_the_start_of_their_year_and_undated_last(zhifu, filed):
    filed(title="undated", formed_on=None, formed_precision="undated")
    filed(title="2011.02.03", formed_on=datetime.date(2011, 2, 3))
    filed(title="2011.01", formed_on=datetime.date(2011, 1, 20), formed_precision="month")
    filed(title="2011", formed_on=datetime.date(2011, 9, 9), formed_precision="year")
    filed(title="2010.12.31", formed_on=datetime.date(2010, 12, 31))
    assert _sequences(zhifu.dossier) == [
        ("2010.12.31", 1), ("2011", 2), ("2011.01", 3), ("2011.02.03", 4), ("undated", 5),
    ]  # fmt: skip


def test_each_class_and_sub_class_is_numbered_on_its_own(zhifu, filed):
    assert filed(material_class="1").sequence == 1
    assert filed(material_class="4-1", title="毕业证书").sequence == 1
    assert filed(material_class="4-2", title="职称证书").sequence == 1
    assert filed(material_class="1", formed_on=datetime.date(2016, 1, 1)).sequence == 2


@pytest.mark.rule("R47")
def test_r47_the_keeper_of_the_central_storeroom_may_file(make_staff, make_dossier):
    dossier = make_dossier("370613")  # 莱山区 keeps its paper in the city storeroom
    clerk = make_staff("370613", Role.DATA_CLERK)
    approver = make_staff("370613", Role.APPROVER)
    city_keeper = make_staff("370600", Role.ARCHIVE_KEEPER)
    material = material_receive(actor=clerk, dossier_id=dossier.pk, data=material_input())
    material_appraise(actor=approver, material_id=material.pk, decision="accept")
    assert material_file(actor=city_keeper, material_id=material.pk).sequence == 1


@pytest.mark.parametrize(("who", "error"), [("approver", PermissionDenied), ("clerk", PermissionDenied),
                                            ("bare", PermissionDenied), ("laizhou", NotFound)])  # fmt: skip
def test_only_the_archive_keeper_files(zhifu, accepted, who, error):
    material = accepted()
    before = state(material)
    with pytest.raises(error):
        material_file(actor=getattr(zhifu, who), material_id=material.pk)
    assert state(material) == before


def test_only_an_accepted_material_is_filed(zhifu, receive):
    material = receive()
    before = state(material)
    with pytest.raises(Conflict, match="鉴别"):
        material_file(actor=zhifu.keeper, material_id=material.pk)
    assert state(material) == before
    material_appraise(actor=zhifu.approver, material_id=material.pk, decision="return", return_reason="incomplete")
    with pytest.raises(Conflict):
        material_file(actor=zhifu.keeper, material_id=material.pk)


def test_a_dossier_on_loan_is_not_filed_into_and_nothing_is_renumbered(zhifu, filed, accepted):
    first = filed(formed_on=datetime.date(2016, 1, 1))
    older = accepted(formed_on=datetime.date(2010, 1, 1))
    Dossier.objects.filter(pk=zhifu.dossier.pk).update(status=DossierStatus.ON_LOAN)
    before = state(first, older)
    with pytest.raises(Conflict, match="不在库"):
        material_file(actor=zhifu.keeper, material_id=older.pk)
    assert state(first, older) == before
