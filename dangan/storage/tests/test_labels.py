"""Box labels: Code 128 of the dossier's barcode, with number, name and place, printed to PDF."""

import subprocess
from pathlib import Path

import pytest

from dangan.core.errors import ValidationFailed
from dangan.core.pdf import pdf_text
from dangan.storage.labels import barcode_svg, cabinet_labels, label_for, labels_pdf
from dangan.storage.services import dossier_shelve
from dangan.storage.tests.conftest import loc


def decode_barcodes(pdf: bytes, tmp_path: Path) -> list[str]:
    """Rasterise at 300 dpi with poppler and read every symbol with zbar, as a scanner would."""
    source = tmp_path / "labels.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(source), str(tmp_path / "page")], check=True)
    found: list[str] = []
    for image in sorted(tmp_path.glob("page*.png")):
        result = subprocess.run(
            ["zbarimg", "--quiet", "--raw", str(image)],
            capture_output=True,
            text=True,
            check=False,
        )
        found.extend(line for line in result.stdout.splitlines() if line)
    return found


def test_a_dossier_label_carries_number_name_and_place_and_its_barcode_scans_back(
    make_dossier, city_room, city_keeper, tmp_path
):
    # given a shelved dossier
    dossier = make_dossier("370600")
    dossier_shelve(actor=city_keeper, dossier_id=dossier.pk, location_id=loc(city_room, 1, 2, 3).pk)
    # when its label is printed
    pdf = labels_pdf([label_for(dossier, "库房1-01-2-03")], title="档案标签")
    # then the text layer has the number, name and place
    text = pdf_text(pdf)
    assert dossier.number in text
    assert dossier.person.name in text
    assert "库房1-01-2-03" in text
    # and the printed Code 128 decodes to the dossier's barcode
    assert decode_barcodes(pdf, tmp_path) == [dossier.barcode]


def test_a_cabinet_sheet_has_one_label_per_shelved_dossier_in_shelf_order(
    make_dossier, city_room, city_keeper, tmp_path
):
    dossiers = [make_dossier("370613") for _ in range(3)]
    for position, dossier in enumerate(dossiers, start=1):
        dossier_shelve(actor=city_keeper, dossier_id=dossier.pk, location_id=loc(city_room, 2, 1, position).pk)
    sheet = cabinet_labels(city_room, 2)
    assert [label.number for label in sheet] == [d.number for d in dossiers]
    pdf = labels_pdf(sheet, title="档案柜标签")
    text = pdf_text(pdf)
    assert all(d.person.name in text for d in dossiers)
    assert sorted(decode_barcodes(pdf, tmp_path)) == sorted(d.barcode for d in dossiers)


def test_code_128_refuses_characters_it_cannot_encode():
    assert barcode_svg("DA370602").startswith(b"<?xml")
    with pytest.raises(ValidationFailed):
        barcode_svg("档案")
