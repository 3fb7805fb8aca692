"""Box labels: a Code 128 barcode of the dossier's barcode field, its number, name and place, printed to PDF."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable
from dataclasses import dataclass

import barcode  # type: ignore[import-untyped]
from barcode.writer import SVGWriter  # type: ignore[import-untyped]
from django.utils.translation import gettext as _

from dangan.core.errors import ValidationFailed
from dangan.core.pdf import render_pdf
from dangan.dossiers.models import Dossier
from dangan.storage.models import Room
from dangan.storage.selectors import locations_of

# Sizes in millimetres: 0.33 mm modules read well on thermal and laser printers.
BARCODE_OPTIONS = {"module_width": 0.33, "module_height": 12.0, "quiet_zone": 4.0, "write_text": False}


@dataclass(frozen=True)
class Label:
    barcode: str
    number: str
    name: str
    agency: str
    location: str
    image: str  # data: URI of the SVG


def barcode_svg(value: str) -> bytes:
    if not value or not value.isascii() or not value.isprintable():
        raise ValidationFailed(
            _("条码“%(value)s”含有 Code 128 不能表示的字符") % {"value": value}, fields={"barcode": [_("条码无效")]}
        )
    out = io.BytesIO()
    barcode.Code128(value, writer=SVGWriter()).write(out, options=BARCODE_OPTIONS)
    return out.getvalue()


def label_for(dossier: Dossier, location: str) -> Label:
    svg = barcode_svg(dossier.barcode)
    return Label(
        barcode=dossier.barcode,
        number=dossier.number,
        name=dossier.person.name,
        agency=dossier.holding_agency.short_name,
        location=location,
        image="data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii"),
    )


def labels_pdf(labels: Iterable[Label], *, title: str) -> bytes:
    return render_pdf("storage/labels.html", {"labels": list(labels), "title": title})


def cabinet_labels(room: Room, cabinet: int) -> list[Label]:
    """One label per shelved dossier of a cabinet, in shelf order."""
    return [
        label_for(location.occupant.dossier, location.code)
        for location in locations_of(room, cabinet).filter(occupant__isnull=False)
    ]
