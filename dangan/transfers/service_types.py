"""The transfer-out request type: its checklist (R30), statuses and steps."""

from dangan.agencies.models import Role
from dangan.casework.registry import ChecklistItem, ServiceType, Step, register

CLERKS = frozenset({Role.COUNTER_CLERK, Role.ONLINE_OFFICER})
KEEPERS = frozenset({Role.ARCHIVE_KEEPER})
APPROVERS = frozenset({Role.APPROVER})

TRANSFER_OUT = register(
    ServiceType(
        code="transfer_out",
        label="档案转出",
        time_limit_days=5,
        province_wide=True,  # R33
        applicants=frozenset({"person", "employer"}),  # R6: only the person (or proxy) or the employer
        checklist=(
            ChecklistItem("id_card", "本人有效身份证件（代办的另需受托人身份证件）", applicants=frozenset({"person"})),
            ChecklistItem("request_letter", "接收单位出具的调档函（商调函）"),
            ChecklistItem(
                "authorisation", "本人手写委托书（仅委托他人代办时）", required=False, applicants=frozenset({"person"})
            ),
            ChecklistItem(
                "employer_letter",
                "单位出具的转档申请（解除劳动关系证明或单位同意）",
                applicants=frozenset({"employer"}),
            ),
            ChecklistItem("termination_proof", "解除或终止劳动关系证明（毕业生办理转档时，R16）", required=False),
            ChecklistItem("acceptance_proof", "新用人单位接收证明（毕业生办理转档时，R16）", required=False),
        ),
        statuses={
            "submitted": "已受理",
            "approved": "已审核",
            "dispatched": "已发出",
            "received": "已接收",
            "rejected": "不予办理",
            "withdrawn": "已撤回",
        },
        transitions={
            "submitted": (
                Step("approved", "审核通过", APPROVERS),
                Step("rejected", "不予办理", APPROVERS),
                Step("withdrawn", "撤回", CLERKS),
            ),
            "approved": (Step("dispatched", "发出", KEEPERS), Step("withdrawn", "撤回", CLERKS)),
            "dispatched": (Step("received", "确认接收", KEEPERS | CLERKS),),
        },
        final=frozenset({"received", "rejected", "withdrawn"}),
        dedicated_steps=frozenset({"approved", "dispatched", "received"}),
        description="档案转出：由本人（或持书面委托的受托人）或用人单位申请，严禁个人自带。",
    )
)

HAND_OVER = register(
    ServiceType(
        code="hand_over",
        label="退休、死亡档案移交",
        time_limit_days=10,
        applicants=frozenset({"person", "organisation"}),
        checklist=(ChecklistItem("basis", "退休审批或死亡证明材料"),),
        statuses={
            "submitted": "已登记",
            "approved": "已审核",
            "dispatched": "已发出",
            "received": "已接收",
            "rejected": "不予办理",
        },
        transitions={
            "submitted": (Step("approved", "审核通过", APPROVERS), Step("rejected", "不予办理", APPROVERS)),
            "approved": (Step("dispatched", "发出", KEEPERS),),
            "dispatched": (Step("received", "确认接收", KEEPERS | CLERKS),),
        },
        final=frozenset({"received", "rejected"}),
        dedicated_steps=frozenset({"approved", "dispatched", "received"}),
        description="退休人员档案移交户籍所在地乡镇（街道）人社服务机构（R18）；死亡人员档案保管期满后移交（R19）。",
    )
)
