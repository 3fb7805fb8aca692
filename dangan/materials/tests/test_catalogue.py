"""The catalogue (目录): class by class, in sequence, dates with their precision; printed and exported."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from dangan.audit.models import AuditEvent
from dangan.core.pdf import pdf_text
from dangan.materials.selectors import CATALOGUE_HEADER, catalogue_rows


@pytest.fixture
def catalogued(zhifu, filed, receive):
    filed(material_class="10", title="体检表", formed_on=datetime.date(2019, 5, 6))
    filed(material_class="1", title="干部履历表", formed_on=datetime.date(2015, 6, 1), formed_precision="month")
    filed(material_class="4-1", title="学士学位证书", formed_on=datetime.date(2014, 7, 1), formed_precision="year",
          copies=2, pages=1, remarks="原件")  # fmt: skip
    filed(material_class="9-2", title="任职通知", formed_on=None, formed_precision="undated", volume=2)
    filed(material_class="1", title="履历表（补充）", formed_on=datetime.date(2018, 3, 9))
    receive(material_class="2", title="尚未鉴别的自传")  # not yet in the catalogue
    return zhifu.dossier


@pytest.mark.rule("R10")
def test_r10_catalogue_rows_go_class_by_class_in_sequence_with_dates_as_known(catalogued):
    rows = [row.cells() for row in catalogue_rows(catalogued)]
    assert rows == [
        ("1", 1, "干部履历表", "2015.06", 1, 4, ""),
        ("1", 2, "履历表（补充）", "2018.03.09", 1, 4, ""),
        ("4-1", 1, "学士学位证书", "2014", 2, 1, "原件"),
        ("9-2", 1, "任职通知", "", 1, 4, "第2卷"),
        ("10", 1, "体检表", "2019.05.06", 1, 4, ""),
    ]


@pytest.mark.rule("R43")
def test_r43_catalogue_pdf_has_the_chinese_titles_and_is_audited(zhifu, catalogued, client):
    client.force_login(zhifu.bare)  # any staff of the holding agency may read
    response = client.get(reverse("materials:catalogue_pdf", args=[catalogued.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in ("流动人员人事档案目录", "类号", "序号", "材料名称", "份数", "页数", "备注", catalogued.person.name,
                     catalogued.number, "干部履历表", "2018.03.09"):  # fmt: skip
        assert expected in text, expected
    assert "尚未鉴别的自传" not in text
    event = AuditEvent.objects.get(action="catalogue.viewed")
    assert event.dossier_id == catalogued.pk
    assert event.after == {"format": "pdf"}


def test_catalogue_pdf_of_an_empty_dossier_says_so(zhifu, client):
    client.force_login(zhifu.keeper)
    response = client.get(reverse("materials:catalogue_pdf", args=[zhifu.dossier.pk]))
    assert "尚无归档材料" in pdf_text(response.content)


@pytest.mark.rule("R43")
def test_r43_catalogue_excel_export_has_the_header_and_the_rows(zhifu, catalogued, client):
    client.force_login(zhifu.keeper)
    response = client.get(reverse("materials:catalogue_xlsx", args=[catalogued.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0] == CATALOGUE_HEADER
    assert rows[1] == ("1", 1, "干部履历表", "2015.06", 1, 4, None)
    assert rows[3] == ("4-1", 1, "学士学位证书", "2014", 2, 1, "原件")
    assert len(rows) == 6
    assert AuditEvent.objects.get(action="catalogue.viewed").after == {"format": "xlsx"}
