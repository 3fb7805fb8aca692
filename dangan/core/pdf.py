"""PDF rendering from Django templates with WeasyPrint; Chinese text uses the Noto CJK fonts."""

from __future__ import annotations

import subprocess
import tempfile
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

BASE_CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 11pt; line-height: 1.5; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 6mm; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.6pt solid #000; padding: 1.5mm 2mm; vertical-align: top; }
"""


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import CSS, HTML  # noqa: PLC0415  (lazy: loading pango is slow and most requests never print)

    html = render_to_string(template, context)
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return bytes(document.write_pdf(stylesheets=[CSS(string=BASE_CSS)]))


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    return response


def pdf_text(pdf: bytes) -> str:
    """The text layer of a PDF (tests and verification), through poppler's pdftotext."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        result = subprocess.run(  # noqa: S603  (fixed program, our own temporary file)
            ["pdftotext", "-layout", "-enc", "UTF-8", handle.name, "-"],  # noqa: S607
            capture_output=True,
            check=True,
        )
    return result.stdout.decode("utf-8")
