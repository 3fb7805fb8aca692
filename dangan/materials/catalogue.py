"""The catalogue (目录) printed as PDF and exported as Excel, in the customary columns."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.utils import timezone

from dangan.core.pdf import pdf_response, render_pdf
from dangan.core.spreadsheets import xlsx_response
from dangan.dossiers.models import Dossier
from dangan.materials.selectors import CATALOGUE_HEADER, catalogue_rows

TITLE = "流动人员人事档案目录"


def _filename(dossier: Dossier, extension: str) -> str:
    return f"档案目录-{dossier.number}-{dossier.person.name}.{extension}"


def catalogue_pdf(dossier: Dossier) -> bytes:
    rows = list(catalogue_rows(dossier))
    context = {
        "title": TITLE,
        "dossier": dossier,
        "person": dossier.person,
        "header": CATALOGUE_HEADER,
        "rows": rows,
        "count": len(rows),
        "pages": sum(row.pages for row in rows),
        "printed_on": timezone.localdate(),
    }
    return render_pdf("materials/catalogue_pdf.html", context)


def catalogue_pdf_response(dossier: Dossier) -> HttpResponse:
    return pdf_response(catalogue_pdf(dossier), _filename(dossier, "pdf"))


def catalogue_xlsx_response(dossier: Dossier) -> FileResponse:
    return xlsx_response(
        filename=_filename(dossier, "xlsx"),
        sheet_title=f"{dossier.number}目录",
        header=CATALOGUE_HEADER,
        rows=(row.cells() for row in catalogue_rows(dossier)),
    )
