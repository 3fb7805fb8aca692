"""Console pages: the materials section, the entry form, appraise and file buttons, catalogue downloads."""

import datetime

import pytest
from django.urls import reverse

from dangan.audit.models import AuditEvent
from dangan.dossiers.models import Gap, GapStatus
from dangan.materials.models import Material

HTMX = {"HTTP_HX_REQUEST": "true"}


READS = ["materials:dossier_section", "materials:catalogue_pdf", "materials:catalogue_xlsx"]


@pytest.mark.rule("R43")
@pytest.mark.parametrize("view", [*READS, "materials:new"])
@pytest.mark.parametrize(
    ("who", "expected"),
    [(None, 302), ("outsider", 404), ("bare", 200), ("clerk", 200), ("laizhou", 404)],
)
def test_r43_permission_matrix_of_the_pages(zhifu, client, view, who, expected):
    if who:
        client.force_login(getattr(zhifu, who))
    if view == "materials:new" and who == "bare":
        expected = 403  # reading is for any staff of the agency; registering needs a role
    response = client.get(reverse(view, args=[zhifu.dossier.pk]))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("agencies:login"))


@pytest.fixture
def pending(receive, accepted):
    """A material waiting for each action."""
    return {"appraise": receive(), "file": accepted()}


@pytest.mark.parametrize("action", ["appraise", "file"])
@pytest.mark.parametrize(
    "case", [(None, 302), ("outsider", 404), ("bare", 403), ("counter", 403), ("laizhou", 404), ("right", 200)]
)
def test_permission_matrix_of_the_actions(zhifu, client, pending, action, case):
    who, expected = case
    material = pending[action]
    before = (Material.objects.get(pk=material.pk).status, AuditEvent.objects.count())
    if who:
        right = zhifu.approver if action == "appraise" else zhifu.keeper
        client.force_login(right if who == "right" else getattr(zhifu, who))
    response = client.post(reverse(f"materials:{action}", args=[material.pk]), {"decision": "accept"}, **HTMX)
    assert response.status_code == expected
    after = (Material.objects.get(pk=material.pk).status, AuditEvent.objects.count())
    if expected == 200:
        assert after[0] == ("accepted" if action == "appraise" else "filed")
    else:
        assert after == before  # a refused action changes nothing and writes no audit event


def test_section_lists_materials_by_class_with_their_buttons(zhifu, client, receive, accepted, filed):
    filed(title="干部履历表", formed_on=datetime.date(2015, 6, 1))
    accepted(material_class="4-1", title="学士学位证书")
    receive(material_class="9-1", title="转正定级审批表", formed_on=datetime.date(1999, 1, 1))
    client.force_login(zhifu.keeper)
    body = client.get(reverse("materials:dossier_section", args=[zhifu.dossier.pk]), **HTMX).content.decode()
    assert 'id="materials-section"' in body
    assert "<html" not in body  # a fragment for htmx
    assert body.index("履历类材料") < body.index("学历学位材料") < body.index("工资材料")
    assert "已归档" in body
    assert "鉴别合格待归档" in body
    assert "R20" in body  # the keeper is warned before appraising
    assert reverse("materials:file", args=[Material.objects.get(title="学士学位证书").pk]) in body
    assert reverse("materials:new", args=[zhifu.dossier.pk]) in body
    assert AuditEvent.objects.filter(action="materials.viewed", dossier_id=zhifu.dossier.pk).count() == 1


def test_the_receiver_sees_no_appraise_buttons_on_their_own_material(zhifu, client, receive):
    material = receive(actor=zhifu.keeper)
    client.force_login(zhifu.keeper)
    body = client.get(reverse("materials:dossier_section", args=[zhifu.dossier.pk])).content.decode()
    assert reverse("materials:appraise", args=[material.pk]) not in body
    assert "须由他人鉴别" in body


def test_section_query_count_does_not_grow_with_materials(zhifu, client, receive, django_assert_max_num_queries):
    for index in range(30):
        receive(title=f"材料{index}", material_class=["1", "4-1", "10"][index % 3])
    client.force_login(zhifu.keeper)
    with django_assert_max_num_queries(18):  # session, user, dossier, roles, audit write, materials: no N+1
        response = client.get(reverse("materials:dossier_section", args=[zhifu.dossier.pk]))
    assert response.content.decode().count('data-testid="material-') == 30


def test_entry_form_shows_field_errors_in_chinese(zhifu, client):
    client.force_login(zhifu.clerk)
    url = reverse("materials:new", args=[zhifu.dossier.pk])
    response = client.post(url, {"material_class": "1", "title": "", "formed": "2010.13", "pages": "0",
                                 "copies": "1", "volume": "1", "source": "employer", "received_on": "2024-03-05"})  # fmt: skip
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"title", "formed", "pages"}
    assert "日期不存在" in form.errors["formed"][0]
    body = response.content.decode()
    assert 'class="field-error"' in body
    assert Material.objects.count() == 0


def test_entry_form_shows_service_errors_on_their_field(zhifu, client):
    client.force_login(zhifu.clerk)
    response = client.post(reverse("materials:new", args=[zhifu.dossier.pk]), {
        "material_class": "1", "title": "履历表", "formed": "2020.01.01", "pages": "2", "copies": "1", "volume": "1",
        "source": "employer", "received_on": "2019-12-01",
    })  # fmt: skip
    assert response.context["form"].errors["received_on"] == ["收到日期不能早于材料制成时间"]
    assert Material.objects.count() == 0


@pytest.mark.rule("R11")
def test_r11_entry_form_offers_the_open_gaps_and_closes_the_one_chosen(zhifu, client, make_gap):
    gap = make_gap(material_class="4-1", title="学士学位证书")
    client.force_login(zhifu.clerk)
    url = reverse("materials:new", args=[zhifu.dossier.pk])
    assert "学士学位证书（补充期限 2030-06-30）" in client.get(url).content.decode()
    response = client.post(url, {
        "material_class": "4-1", "title": "学士学位证书", "formed": "2014.07", "pages": "1", "copies": "1",
        "volume": "1", "source": "school", "source_name": "烟台大学", "received_on": "2024-03-05", "gap": str(gap.pk),
    })  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:detail", args=[zhifu.dossier.pk])
    material = Material.objects.get()
    assert (material.formed_display, material.formed_precision) == ("2014.07", "month")
    gap.refresh_from_db()
    assert (gap.status, gap.material_id) == (GapStatus.CLOSED, material.pk)


@pytest.mark.rule("R11")
def test_r11_entry_form_offers_an_escalated_gap_marked_as_such_and_closes_it(zhifu, client, make_gap):
    """R11 clause: the gaps are followed up until closed — an escalated gap is still offered and closed."""
    gap = make_gap(material_class="4-1", title="学士学位证书")
    Gap.objects.filter(pk=gap.pk).update(status=GapStatus.ESCALATED)
    client.force_login(zhifu.clerk)
    url = reverse("materials:new", args=[zhifu.dossier.pk])
    assert "学士学位证书（补充期限 2030-06-30，已逾期上报）" in client.get(url).content.decode()
    response = client.post(url, {
        "material_class": "4-1", "title": "学士学位证书", "formed": "2014.07", "pages": "1", "copies": "1",
        "volume": "1", "source": "school", "source_name": "烟台大学", "received_on": "2024-03-05", "gap": str(gap.pk),
    })  # fmt: skip
    assert response.status_code == 302
    gap.refresh_from_db()
    assert (gap.status, gap.material_id) == (GapStatus.CLOSED, Material.objects.get().pk)


def test_save_and_add_another_comes_back_to_the_form(zhifu, client):
    client.force_login(zhifu.counter)
    url = reverse("materials:new", args=[zhifu.dossier.pk])
    response = client.post(url, {"material_class": "10", "title": "体检表", "formed": "", "pages": "2", "copies": "1",
                                 "volume": "1", "source": "person", "received_on": "2024-03-05", "another": "1"})  # fmt: skip
    assert response["Location"] == url
    assert Material.objects.get().formed_precision == "undated"


@pytest.mark.rule("R20")
def test_r20_accepting_an_abolished_material_in_the_console_shows_the_reason(zhifu, client, receive):
    material = receive(material_class="9-1", title="工资调整审批表", formed_on=datetime.date(2016, 1, 1))
    client.force_login(zhifu.approver)
    url = reverse("materials:appraise", args=[material.pk])
    body = client.post(url, {"decision": "accept"}, **HTMX).content.decode()
    assert "R20" in body
    assert 'role="alert"' in body
    assert Material.objects.get(pk=material.pk).status == "received"
    body = client.post(url, {"decision": "return", "return_reason": "abolished"}, **HTMX).content.decode()
    assert "已退回" in body
    assert Material.objects.get(pk=material.pk).return_reason == "abolished"


def test_plain_form_posts_go_back_to_the_dossier_page(zhifu, client, accepted):
    material = accepted()
    client.force_login(zhifu.keeper)
    response = client.post(reverse("materials:file", args=[material.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:detail", args=[zhifu.dossier.pk])
    assert Material.objects.get(pk=material.pk).sequence == 1
