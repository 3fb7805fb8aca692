"""The consultation and loan request types: checklists (R30), statuses and steps; both province-wide (R33)."""

from dangan.agencies.models import Role
from dangan.casework.registry import ChecklistItem, ServiceType, Step, register

CLERKS = frozenset({Role.COUNTER_CLERK, Role.ONLINE_OFFICER})
KEEPERS = frozenset({Role.ARCHIVE_KEEPER})
APPROVERS = frozenset({Role.APPROVER})
ORGANISATIONS = frozenset({"organisation"})  # R13: never individuals

CONSULTATION = register(
    ServiceType(
        code="consultation",
        label="档案查阅",
        time_limit_days=5,
        province_wide=True,
        applicants=ORGANISATIONS,
        checklist=(
            ChecklistItem(
                "request_letter", "查阅单位出具的查阅函（写明查阅事由、内容和目的）", applicants=ORGANISATIONS
            ),
            ChecklistItem("reader_ids", "查阅人（两人以上）的身份证件和工作证件", applicants=ORGANISATIONS),
        ),
        statuses={
            "submitted": "已受理",
            "approved": "已批准",
            "closed": "查阅结束",
            "rejected": "不予批准",
            "withdrawn": "已撤回",
        },
        transitions={
            "submitted": (
                Step("approved", "批准查阅", APPROVERS),
                Step("rejected", "不予批准", APPROVERS),
                Step("withdrawn", "撤回", CLERKS),
            ),
            "approved": (Step("closed", "查阅结束", KEEPERS | APPROVERS), Step("withdrawn", "撤回", CLERKS)),
        },
        final=frozenset({"closed", "rejected", "withdrawn"}),
        dedicated_steps=frozenset({"approved", "rejected", "withdrawn", "closed"}),
        description="档案查阅只面向单位（组织）：凭查阅函、两人以上、在阅档室查阅，摘录复制须经批准并核对盖章（R13）。",
    )
)

LOAN = register(
    ServiceType(
        code="loan",
        label="档案借阅",
        time_limit_days=5,
        province_wide=True,
        applicants=ORGANISATIONS,
        checklist=(
            ChecklistItem("loan_letter", "借档单位出具的借档函（R15）", applicants=ORGANISATIONS),
            ChecklistItem("handler_id", "借档经办人的身份证件和工作证件", applicants=ORGANISATIONS),
            ChecklistItem("undertaking", "借档单位签署的不转借承诺", applicants=ORGANISATIONS),
        ),
        statuses={
            "submitted": "已受理",
            "approved": "已批准",
            "lent": "已借出",
            "returned": "已归还",
            "rejected": "不予批准",
            "withdrawn": "已撤回",
        },
        transitions={
            "submitted": (
                Step("approved", "批准借阅", APPROVERS),
                Step("rejected", "不予批准", APPROVERS),
                Step("withdrawn", "撤回", CLERKS),
            ),
            "approved": (Step("lent", "借出", KEEPERS), Step("withdrawn", "撤回", CLERKS)),
            "lent": (Step("returned", "归还核对", KEEPERS),),
        },
        final=frozenset({"returned", "rejected", "withdrawn"}),
        dedicated_steps=frozenset({"approved", "rejected", "withdrawn", "lent", "returned"}),
        description="档案一般不外借：经批准、凭借档函、一周内归还、不得转借，归还时当面核对目录和密封（R14、R15）。",
    )
)
