"""The certificate request type (出具证明): checklist (R30), province-wide (R33), statuses and steps."""

from django.conf import settings

from dangan.agencies.models import Role
from dangan.casework.registry import ChecklistItem, ServiceType, Step, register
from dangan.certificates import workflow as wf

CLERKS = frozenset({Role.COUNTER_CLERK, Role.ONLINE_OFFICER})
APPROVERS = frozenset({Role.APPROVER})
ORGANISATIONS = frozenset({"organisation", "employer"})

CERTIFICATE = register(
    ServiceType(
        code="certificate",
        label="出具档案证明",
        time_limit_days=getattr(settings, "DANGAN_CERTIFICATE_DAYS", 3),
        province_wide=True,  # R33: certificates can be applied for anywhere in the province
        applicants=frozenset({"person", "organisation", "employer"}),
        checklist=(
            ChecklistItem("id_card", "本人有效身份证件（单位申请的为经办人身份证件）"),
            ChecklistItem("org_letter", "单位出具的介绍信（公函），注明证明用途", applicants=ORGANISATIONS),
        ),
        statuses=wf.STATUSES,
        transitions={
            wf.SUBMITTED: (
                Step(wf.APPROVED, "审核通过", APPROVERS),
                Step(wf.ISSUED, "出具证明", CLERKS),
                Step(wf.REJECTED, "不予出具", APPROVERS),
                Step(wf.WITHDRAWN, "撤回", CLERKS),
            ),
            wf.APPROVED: (Step(wf.ISSUED, "出具证明", CLERKS), Step(wf.WITHDRAWN, "撤回", CLERKS)),
        },
        final=wf.FINAL,
        description="依据档案记载出具存档、经历、亲属关系、现实表现等证明；证明内容只取自档案记载。",
        # The "issued" step generates the certificate: only certificates.services.certificate_issue takes it.
        extra={"dedicated_steps": wf.ISSUED},
    )
)
