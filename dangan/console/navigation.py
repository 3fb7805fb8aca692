"""The console's menu: each entry names the roles that see it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangan.agencies.models import Role

ALL = frozenset(Role)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]


NAV: tuple[NavItem, ...] = (
    NavItem(str(_("工作台首页")), "console:home", ALL),
    NavItem(str(_("档案查询")), "dossiers:list", ALL),
    NavItem(
        str(_("档案接收")), "dossiers:intake", frozenset({Role.COUNTER_CLERK, Role.ONLINE_OFFICER, Role.ARCHIVE_KEEPER})
    ),
    NavItem(str(_("缺失材料跟踪")), "dossiers:gaps", ALL),
    NavItem(str(_("库房管理")), "storage:home", frozenset({Role.ARCHIVE_KEEPER, Role.ADMINISTRATOR, Role.SUPERVISOR})),
    NavItem(
        str(_("委托存档协议")),
        "agreements:home",
        frozenset({Role.COUNTER_CLERK, Role.ONLINE_OFFICER, Role.APPROVER, Role.SUPERVISOR, Role.ADMINISTRATOR}),
    ),
    NavItem(str(_("单位网上报告")), "employer_reports:queue", frozenset({Role.COUNTER_CLERK, Role.ONLINE_OFFICER})),
    NavItem(str(_("办件")), "casework:list", ALL),
    NavItem(str(_("今日待办")), "casework:today", frozenset({Role.ONLINE_OFFICER, Role.COUNTER_CLERK, Role.APPROVER})),
    NavItem(str(_("档案转递")), "transfers:list", ALL),
    NavItem(
        str(_("退休死亡移交")),
        "transfers:retiring",
        frozenset({Role.COUNTER_CLERK, Role.ARCHIVE_KEEPER, Role.APPROVER}),
    ),
    NavItem(
        str(_("政审与党员组织关系")),
        "reviews:home",
        frozenset({Role.COUNTER_CLERK, Role.ONLINE_OFFICER, Role.ARCHIVE_KEEPER, Role.APPROVER, Role.SUPERVISOR}),
    ),
    NavItem(str(_("查阅与借阅")), "lending:home", ALL),
    NavItem(str(_("出具证明")), "certificates:home", ALL),
    NavItem(str(_("好差评")), "ratings:home", ALL),
    NavItem(str(_("统计分析")), "analytics:home", ALL),
    NavItem(str(_("历史数据迁移")), "migration:home", frozenset({Role.DATA_CLERK, Role.ADMINISTRATOR})),
    NavItem(str(_("接口文档")), "api-docs", frozenset({Role.ADMINISTRATOR})),
)


def menu_for(roles: frozenset[str]) -> list[dict[str, str]]:
    return [{"label": item.label, "url": reverse(item.url_name)} for item in NAV if item.roles & roles]
