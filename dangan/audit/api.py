from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.pagination import CursorPagination

from dangan.agencies.models import Role
from dangan.agencies.policies import has_role
from dangan.agencies.selectors import readable_agency_ids
from dangan.audit.models import AuditEvent


class AuditEventOut(serializers.ModelSerializer[AuditEvent]):
    class Meta:
        model = AuditEvent
        fields = [
            "seq",
            "at",
            "actor_name",
            "agency",
            "action",
            "subject_type",
            "subject_id",
            "dossier_id",
            "channel",
            "ip",
            "request_id",
            "reason",
            "before",
            "after",
            "prev_hash",
            "hash",
        ]


class AuditCursor(CursorPagination):
    """Newest first, by position in the chain. A cursor, not an offset: the log grows by an entry for every
    dossier opened, so counting it for each page would cost more the longer the platform runs, and offsets
    would shift as entries arrive while someone reads."""

    ordering = "-seq"
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet[AuditEvent]):
    """The audit log, for administrators and supervisors of the agencies they oversee."""

    serializer_class = AuditEventOut
    pagination_class = AuditCursor
    lookup_field = "seq"
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[AuditEvent]:
        user = self.request.user
        if not has_role(user, Role.ADMINISTRATOR, Role.SUPERVISOR):
            return AuditEvent.objects.none()
        qs = AuditEvent.objects.filter(agency_id__in=readable_agency_ids(user)).order_by("-seq")
        dossier = self.request.query_params.get("dossier")
        if dossier and dossier.isdigit():
            qs = qs.filter(dossier_id=int(dossier))
        return qs
