"""The printed extract 《政审（考察）档案情况摘录》 (PDF, Chinese), rendered from the frozen, approved extract."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from dangan.core.pdf import render_pdf
from dangan.reviews.models import PoliticalReview

TITLE = "政审（考察）档案情况摘录"


def _name(user: Any) -> str:
    staff = getattr(user, "staff", None) if user is not None else None
    return str(getattr(staff, "full_name", "") or (user.get_username() if user is not None else ""))


def review_pdf(review: PoliticalReview) -> bytes:
    approved = timezone.localtime(review.approved_at) if review.approved_at else None
    context: dict[str, Any] = {
        "title": TITLE,
        "r": review,
        "agency": review.agency,
        "facts": review.extract.get("facts", []),
        "sections": review.extract.get("sections", []),
        "conclusion": [line for line in review.conclusion.splitlines() if line.strip()],
        "issued_on": approved.date() if approved else None,
        "drafter": _name(review.drafted_by),
        "approver": _name(review.approved_by),
    }
    return render_pdf("reviews/review_pdf.html", context)


def review_filename(review: PoliticalReview) -> str:
    return f"{TITLE}-{review.serial}.pdf"
