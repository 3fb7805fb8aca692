"""The certificate types every installation starts with (brief: custody, career, kinship, conduct).

Loaded by the data migration, and again if an emptied database (a test's flush) has lost them. An administrator
edits the wording and adds types on the console; placeholders are those of texts.PLACEHOLDERS.
"""

from __future__ import annotations

from typing import Any

_SEAL = "以上情况依据档案记载出具。\n特此证明。"

DEFAULT_TYPES: tuple[dict[str, Any], ...] = (
    {
        "code": "custody",
        "name": "存档证明",
        "needs_approval": False,
        "sort_order": 10,
        "body": (
            "兹证明{name}（{id_type}：{id_number}）的人事档案自{received_on}起由{holding_agency}保管，"
            "档案编号{dossier_number}，档案现状态为“{dossier_status}”。\n特此证明。"
        ),
    },
    {
        "code": "career",
        "name": "经历证明",
        "needs_approval": False,
        "sort_order": 20,
        "body": (
            "兹证明{name}（{id_type}：{id_number}）的人事档案由{holding_agency}保管。经查档案记载，"
            "其参加工作时间为{work_started_on}。\n学习经历：\n{education}\n工作经历：\n{employment}\n"
            "专业技术职务（职称）：\n{titles}\n" + _SEAL
        ),
    },
    {
        "code": "kinship",
        "name": "亲属关系证明",
        "needs_approval": True,
        "sort_order": 30,
        "body": (
            "兹证明{name}（{id_type}：{id_number}）的人事档案由{holding_agency}保管。经查档案记载，"
            "其家庭成员及主要社会关系如下：\n{family}\n" + _SEAL
        ),
    },
    {
        "code": "conduct",
        "name": "现实表现证明",
        "needs_approval": True,
        "sort_order": 40,
        "body": (
            "兹证明{name}（{id_type}：{id_number}）的人事档案由{holding_agency}保管。经查档案记载，情况如下：\n"
            "政治面貌：{political_status}\n党团关系：{party}\n工作经历：\n{employment}\n"
            "表彰奖励：\n{rewards}\n违规违纪违法处理处分：\n{penalties}\n"
            "本证明仅反映档案记载情况，不含档案记载以外的评价。\n特此证明。"
        ),
    },
)


def load_default_types(model: Any) -> int:
    """Create the default types that are missing (never overwrites an administrator's wording)."""
    created = 0
    for values in DEFAULT_TYPES:
        _obj, was_created = model.objects.get_or_create(
            code=values["code"], defaults={k: v for k, v in values.items() if k != "code"}
        )
        created += int(was_created)
    return created
