"""R20: nothing in the platform records 转正定级 or wage records and adjustments, or issues 行政/工资介绍信.

The scan covers every installed model (names, verbose names, help texts, choice labels), every form of the
project's apps (field names, labels, help texts, choice labels), the OpenAPI schema, the request types'
checklists and every template. The only places allowed to name these things are those that REFUSE them;
each is listed below and must still read as a refusal (a refusal word in the same sentence).

Not scanned, and allowed by nature: `materials/workflow.py` (the words an appraisal refuses, in code),
`docs/rules.md` and `shared/domain/*` (the rules themselves), tests.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.template.engine import Engine
from drf_spectacular.generators import SchemaGenerator

from dangan.casework import registry

# What an abolished feature would be called: in Chinese wording, and in code names.
CHINESE = re.compile(
    r"转正定级|定级表|工资调整|调整工资|调资|调薪|晋级增资|工资记录|工资台账|工资档案|工资标准|工资级别|工资变动"
    r"|行政介绍信|工资介绍信|工资关系介绍信|行政关系介绍信"
)
CODE = re.compile(
    r"wage|salar(y|ies)|payroll|pay_?grade|pay_?scale|regrad|zhuanzheng|dingji|gongzi"
    r"|(admin|administrative)_?(intro|introduction)?_?letter",
    re.IGNORECASE,
)
REFUSAL = re.compile(r"不需要|无需|不再|不予|已取消|不得|不能|不办理|退回|不要求")
STOPS = "。；！？\n"

# (where, the matched words) — each a place that refuses, with why it may name the abolished thing.
ALLOWED: dict[tuple[str, str], str] = {
    ("template:dossiers/intake.html", "转正定级"): "R21: the intake page says these papers are not required",
}


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(stop, 0, start) for stop in STOPS) + 1
    rights = [i for i in (text.find(stop, end) for stop in STOPS) if i >= 0]
    return text[left : min(rights) if rights else len(text)].strip()


def hits(where: str, text: str) -> Iterator[tuple[str, str, str]]:
    """(where, match, sentence) for every abolished word in a Chinese text or a code name."""
    for pattern in (CHINESE, CODE):
        for match in pattern.finditer(text):
            yield where, match.group(0), _sentence(text, match.start(), match.end())


def offending(items: Iterable[tuple[str, str]]) -> list[str]:
    found = []
    for where, text in items:
        for place, word, sentence in hits(where, text):
            if (place, word) in ALLOWED and REFUSAL.search(sentence):
                continue
            found.append(f"{place}: “{word}” in “{sentence[:80]}”")
    return sorted(set(found))


# --- What the scan reads ---------------------------------------------------------------------------


def _choice_labels(choices: object) -> Iterator[str]:
    if not isinstance(choices, (list, tuple)):
        return
    for choice in choices:
        if isinstance(choice, (list, tuple)) and len(choice) == 2:
            value, label = choice
            if isinstance(label, (list, tuple)):
                yield from _choice_labels(label)
            else:
                yield f"{value} {label}"


def model_texts() -> Iterator[tuple[str, str]]:
    for model in apps.get_models():
        meta = model._meta
        where = f"model:{meta.label}"
        yield where, f"{model.__name__} {meta.db_table} {meta.verbose_name} {meta.verbose_name_plural}"
        for field in meta.get_fields():
            parts = [field.name, str(getattr(field, "verbose_name", "")), str(getattr(field, "help_text", ""))]
            parts += list(_choice_labels(getattr(field, "choices", None)))
            yield f"{where}.{field.name}", " ".join(parts)


def _form_classes() -> list[type[forms.BaseForm]]:
    for config in apps.get_app_configs():
        if config.name.startswith("dangan."):
            try:
                importlib.import_module(f"{config.name}.forms")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.forms":
                    raise
    found: list[type[forms.BaseForm]] = []
    pending: list[type[forms.BaseForm]] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("dangan."):
                found.append(sub)
    return found


def form_texts() -> Iterator[tuple[str, str]]:
    for form_class in _form_classes():
        for name, field in getattr(form_class, "base_fields", {}).items():
            parts = [name, str(field.label or ""), str(field.help_text or "")]
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                parts += list(_choice_labels(list(field.choices)))  # type: ignore[arg-type]  # evaluated lazy choices
            yield f"form:{form_class.__module__}.{form_class.__name__}.{name}", " ".join(parts)


def schema_text() -> tuple[str, str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return "openapi", json.dumps(schema, ensure_ascii=False)


def service_type_texts() -> Iterator[tuple[str, str]]:
    for service_type in registry.all_types():
        labels = [service_type.code, service_type.label, service_type.description]
        labels += [f"{i.key} {i.label}" for i in service_type.checklist]
        labels += [f"{k} {v}" for k, v in service_type.statuses.items()]
        yield f"service_type:{service_type.code}", " ".join(labels)


def _template_dirs() -> list[Path]:
    engine = Engine.get_default()
    dirs = [Path(d) for d in engine.dirs]
    # The project's own templates: the folder in settings and those of the dangan apps (not third-party ones).
    dirs += [Path(c.path) / "templates" for c in apps.get_app_configs() if c.name.startswith("dangan.")]
    return [d for d in dirs if d.is_dir()]


def template_texts() -> Iterator[tuple[str, str]]:
    for directory in _template_dirs():
        for path in sorted(directory.rglob("*")):
            if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".svg", ".js"}:
                yield f"template:{path.relative_to(directory).as_posix()}", path.read_text(encoding="utf-8")


# --- The guard -----------------------------------------------------------------------------------


@pytest.mark.rule("R20")
def test_no_model_records_regrading_wages_or_introduction_letters():
    assert offending(model_texts()) == []


@pytest.mark.rule("R20")
def test_no_form_asks_for_regrading_wages_or_introduction_letters(db):
    classes = _form_classes()
    assert len(classes) > 10  # the scan really reads the project's forms
    assert offending(form_texts()) == []


@pytest.mark.rule("R20")
def test_no_api_schema_property_records_regrading_wages_or_introduction_letters(db):
    where, text = schema_text()
    assert "/api/v1/political-reviews/" in text  # the scan reads the whole schema
    assert offending([(where, text)]) == []


@pytest.mark.rule("R20")
def test_no_service_type_issues_introduction_letters_or_wage_records():
    assert {"political_review", "party_transfer"} <= {t.code for t in registry.all_types()}
    assert offending(service_type_texts()) == []


@pytest.mark.rule("R20")
def test_no_template_records_regrading_wages_or_issues_introduction_letters():
    texts = list(template_texts())
    assert any(where == "template:base.html" for where, _ in texts)
    assert offending(texts) == []


@pytest.mark.rule("R20")
@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("model:x.Person.regrading_on", "regrading_on 转正定级时间"),
        ("model:x.Person.wage_level", "wage_level 岗位"),
        ("form:x.WageForm.amount", "amount 工资调整金额"),
        ("openapi", '{"properties": {"admin_letter_no": {"title": "编号"}}}'),
        ("template:x/letter.html", "<h1>行政介绍信</h1>"),
        ("template:x/letter.html", "开具工资介绍信"),
        # An allowed place that stops refusing is caught too.
        ("template:dossiers/intake.html", "请提交转正定级表。"),
    ],
)
def test_the_guard_catches_a_new_feature(where, text):
    assert offending([(where, text)]) != []


@pytest.mark.rule("R20")
def test_the_guard_lets_refusals_and_the_party_letter_through():
    assert offending([("template:dossiers/intake.html", "接收时不需要介绍信、转正定级表或派遣证。")]) == []
    assert offending([("model:reviews.PartyTransfer.letter_number", "letter_number 党员组织关系介绍信编号")]) == []
    assert offending([("template:agreements/annex1_pdf.html", "不承担就业、工资、福利待遇")]) == []
