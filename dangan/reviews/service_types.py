"""The two request types of this app: checklists (R30), statuses and the plain steps casework may take."""

from dangan.agencies.models import Role
from dangan.casework.registry import ChecklistItem, ServiceType, Step, register
from dangan.reviews import workflow as wf

CLERKS = frozenset({Role.COUNTER_CLERK, Role.ONLINE_OFFICER})
APPROVERS = frozenset({Role.APPROVER})
ORGANISATION = frozenset({"organisation"})

POLITICAL_REVIEW = register(
    ServiceType(
        code="political_review",
        label="政审（考察）",
        time_limit_days=5,
        applicants=ORGANISATION,  # R10, R13: a service to organisations, never to individuals
        checklist=(
            ChecklistItem("org_letter", "单位出具的政审（考察）函，写明事由和考察对象"),
            ChecklistItem("reviewer_id", "考察人（经办人）有效身份证件或工作证件"),
        ),
        statuses=wf.REVIEW_STATUSES,
        transitions={
            wf.SUBMITTED: (Step(wf.REJECTED, "不予办理", APPROVERS), Step(wf.WITHDRAWN, "撤回", CLERKS)),
            wf.DRAFTED: (
                Step(wf.SUBMITTED, "退回重新生成", APPROVERS),
                Step(wf.REJECTED, "不予办理", APPROVERS),
                Step(wf.WITHDRAWN, "撤回", CLERKS),
            ),
        },
        final=wf.REVIEW_FINAL,
        description="单位因发展党员、征兵、招录聘用、出国（境）等需要，由存档机构依据档案记载出具政审（考察）档案情况摘录，经审核后出具。",
        extra={"dedicated_steps": "drafted,approved,released"},
    )
)

PARTY_TRANSFER = register(
    ServiceType(
        code="party_transfer",
        label="党员组织关系接转",
        time_limit_days=5,
        applicants=frozenset({"person", "organisation"}),
        checklist=(
            ChecklistItem("party_letter", "党员组织关系介绍信"),
            ChecklistItem("id_card", "本人有效身份证件", applicants=frozenset({"person"})),
            ChecklistItem("org_letter", "党组织出具的接转函", applicants=ORGANISATION),
        ),
        statuses=wf.PARTY_STATUSES,
        transitions={
            wf.SUBMITTED: (Step(wf.REJECTED, "不予办理", APPROVERS), Step(wf.WITHDRAWN, "撤回", CLERKS)),
        },
        final=wf.PARTY_FINAL,
        description="存档的中共党员（含预备党员）组织关系的转入、转出登记，记录介绍信编号、开具和接收党组织、有效期和报到日期。",
        extra={"dedicated_steps": "completed"},
    )
)
