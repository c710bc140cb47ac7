"""Templates of coercive measures: who signs them, every coded branch renders, legal bounds are refused.

限制消费令 / 解除限制消费令 / 失信决定书 / 删除失信信息决定书 / 拘留决定书 / 罚款决定书.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from zhixing.core.errors import PermissionDenied, ServiceError
from zhixing.core.models import Court, JournalEvent, User
from zhixing.documents import rendering, services
from zhixing.documents.samples import SAMPLE_CONTEXTS
from zhixing.documents.services import Recipient

CASE = "（2026）浙0602执123号"
ON = date(2026, 11, 29)
NUMBER_CODES = {
    "consumption_restriction_order": "限",
    "consumption_restriction_lifting": "解限",
    "dishonest_listing_decision": "失",
    "dishonest_listing_deletion": "删失",
    "detention_decision": "拘",
    "fine_decision": "罚",
}
#: signed by the president: XIANGAO Art. 5, SHIXIN17 Art. 5, CPL Art. 119 (the president's approval)
PRESIDENT_SIGNS = (
    "consumption_restriction_order",
    "dishonest_listing_decision",
    "detention_decision",
    "fine_decision",
)
#: undoing a measure is not reserved to the president (XIANGAO15 Art. 9, SHIXIN17 Art. 10)
JUDGE_MAY_SIGN = ("consumption_restriction_lifting", "dishonest_listing_deletion")


def _meta(kind: str) -> rendering.TemplateMeta:
    source, _layout = rendering.read_files(kind)
    return rendering.split_source(kind, source)[0]


def _html(courts: dict[str, Court], fast_pdf: list[str], kind: str, **changes: Any) -> str:
    ctx = {k: v for k, v in {**SAMPLE_CONTEXTS[kind], **changes}.items() if v is not None}
    services.document_preview(kind=kind, context=ctx, court=courts["浙0602"], case_number=CASE, on=ON)
    text = re.sub(r"<[^>]+>", "", fast_pdf[-1])
    return re.sub(r"\s+", "", text)


def _error(courts: dict[str, Court], kind: str, **changes: Any) -> ServiceError:
    ctx = {k: v for k, v in {**SAMPLE_CONTEXTS[kind], **changes}.items() if v is not None}
    with pytest.raises(ServiceError) as caught:
        services.document_preview(kind=kind, context=ctx, court=courts["浙0602"], case_number=CASE, on=ON)
    return caught.value


def test_number_codes_are_distinct_so_document_numbers_never_collide() -> None:
    codes = [_meta(kind).number_code for kind in rendering.available_kinds()]
    assert len(codes) == len(set(codes))
    assert {k: _meta(k).number_code for k in NUMBER_CODES} == NUMBER_CODES


def _issue(actor: User, court: Court, kind: str) -> Any:
    return services.document_issue(
        actor=actor,
        kind=kind,
        court=court,
        stream="case:1",
        case_number=CASE,
        context=SAMPLE_CONTEXTS[kind],
        recipients=[Recipient(name="张三", channel="postal", address="绍兴市越城区某路1号")],
        on=ON,
    )


@pytest.mark.parametrize("kind", PRESIDENT_SIGNS)
def test_only_the_president_signs(
    courts: dict[str, Court], judge: User, president: User, fast_pdf: list[str], kind: str
) -> None:
    assert _meta(kind).issuing_roles == ("president",)
    assert _meta(kind).approval_role is None  # the president's signature is the approval
    with pytest.raises(PermissionDenied) as caught:
        _issue(judge, courts["浙0602"], kind)
    assert caught.value.code == "issuer_role" and "院长" in caught.value.message
    doc = _issue(president, courts["浙0602"], kind)
    assert doc.number == f"（2026）浙0602执{NUMBER_CODES[kind]}字第1号"
    assert JournalEvent.objects.get(kind="document.issued").payload["kind"] == kind


@pytest.mark.parametrize("kind", JUDGE_MAY_SIGN)
def test_a_judge_lifts_a_restriction_or_deletes_a_listing(
    courts: dict[str, Court], judge: User, fast_pdf: list[str], kind: str
) -> None:
    doc = _issue(judge, courts["浙0602"], kind)
    assert doc.number == f"（2026）浙0602执{NUMBER_CODES[kind]}字第1号"


def _branches() -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for kind in rendering.available_kinds():
        for name, values in _meta(kind).choices.items():
            out.extend((kind, name, v) for v in values)
    return out


@pytest.mark.parametrize(("kind", "name", "value"), _branches())
def test_every_coded_value_renders(
    courts: dict[str, Court], fast_pdf: list[str], kind: str, name: str, value: str
) -> None:
    changes: dict[str, Any] = {name: value}
    if kind == "fine_decision" and name == "person_kind" and value == "natural_person":
        changes["amount"] = "5000.00"
    text = _html(courts, fast_pdf, kind, **changes)
    assert "（样稿，未编号）" in text


def test_consumption_restriction_order_lists_the_nine_acts_and_the_persons_of_a_unit(
    courts: dict[str, Court], fast_pdf: list[str]
) -> None:
    text = _html(courts, fast_pdf, "consumption_restriction_order")
    assert fast_pdf[-1].count("<li>") == 9
    assert "法定代表人李四" in text and "实际控制人王五" in text
    assert "实际控制人（法定代表人李四、实际控制人王五）不得实施" in text
    assert "罚款、拘留" in text and "失信被执行人名单" in text and "追究刑事责任" in text
    assert "履行完毕生效法律文书确定的义务的，本院将及时解除本令" in text
    person = _html(
        courts,
        fast_pdf,
        "consumption_restriction_order",
        debtor_names=["张三"],
        debtor_kind="natural_person",
        restricted_persons=None,
    )
    assert "对你采取限制消费措施。你不得实施" in person
    assert "你单位" not in person


def test_restricted_persons_may_be_empty_or_one_text(courts: dict[str, Court], fast_pdf: list[str]) -> None:
    text = _html(courts, fast_pdf, "consumption_restriction_order", restricted_persons=[])
    assert "实际控制人不得实施" in text
    text = _html(courts, fast_pdf, "consumption_restriction_lifting", restricted_persons="法定代表人李四")
    assert "被执行人：绍兴某某贸易有限公司法定代表人李四本院" in text


def test_lifting_states_its_ground(courts: dict[str, Court], fast_pdf: list[str]) -> None:
    text = _html(courts, fast_pdf, "consumption_restriction_lifting")
    assert "现被执行人已履行完毕生效法律文书确定的义务" in text
    assert "本案继续执行" not in text
    text = _html(
        courts,
        fast_pdf,
        "consumption_restriction_lifting",
        lifting_ground="applicant_consent",
        applicant_names=["绍兴市某某纺织有限公司"],
        ground_facts=None,
    )
    assert "申请执行人绍兴市某某纺织有限公司同意解除" in text and "本案继续执行" in text


def test_dishonest_listing_decision_ground_term_publication_and_correction(
    courts: dict[str, Court], fast_pdf: list[str]
) -> None:
    text = _html(courts, fast_pdf, "dishonest_listing_decision")
    assert "第一条第（三）项" in text and "纳入期限为二年" in text
    assert "本决定一经作出即生效" in text
    assert "姓名、性别、年龄、身份证号码" in text and "统一社会信用代码" not in text
    assert "十五日内审查" in text and "十日内向浙江省绍兴市中级人民法院申请复议" in text
    text = _html(
        courts,
        fast_pdf,
        "dishonest_listing_decision",
        ground="ability_refusal",
        listing_term="无固定期限（至删除事由出现时）",
        debtor_kind=None,
        upper_court_name=None,
    )
    assert "有履行能力而拒不履行" in text and "第一条第（一）项" in text
    assert "不设固定期限" in text and "纳入期限为" not in text
    assert "统一社会信用代码" in text and "身份证号码" in text  # kind unknown: both lists
    assert "十日内向上一级人民法院申请复议" in text


def test_deletion_names_the_article_of_its_ground(courts: dict[str, Court], fast_pdf: list[str]) -> None:
    expected = {
        "performed": "第十条第一款第（一）项",
        "applicant_request": "第十条第一款第（三）项",
        "terminated": "第十条第一款第（七）项",
        "term_expired": "第十条第二款",
        "no_assets": "第十条第一款第（四）项",
        "early_deletion": "若干规定》第二条的规定",
    }
    for ground, article in expected.items():
        text = _html(courts, fast_pdf, "dishonest_listing_deletion", deletion_ground=ground)
        assert article in text, ground
        assert "删除日期为2026年9月14日" in text
        assert ("六个月内再次申请" in text) == (ground == "applicant_request")


def test_detention_and_fine_decisions_state_approval_custody_and_review(
    courts: dict[str, Court], fast_pdf: list[str]
) -> None:
    text = _html(courts, fast_pdf, "detention_decision")
    assert "第一百一十四条第一款第（六）项、第二款" in text and "经本院院长批准" in text
    assert "对李四拘留15日" in text and "交公安机关看管（绍兴市拘留所）" in text
    assert "收到决定书之日起三日内，向浙江省绍兴市中级人民法院申请复议一次" in text
    assert "复议期间，不停止本决定的执行" in text
    text = _html(courts, fast_pdf, "fine_decision")
    assert "被罚款单位：绍兴某某贸易有限公司" in text and "第（三）项、第一百一十八条第一款" in text
    assert "罚款人民币100,000.00元" in text and "限你单位于2026年5月15日前" in text
    assert "账号3301040000000000001" in text


@pytest.mark.parametrize(
    ("kind", "changes", "code", "field"),
    [
        ("detention_decision", {"detention_days": 16}, "out_of_range", "detention_days"),
        ("detention_decision", {"detention_days": 0}, "out_of_range", "detention_days"),
        ("detention_decision", {"detention_days": "2.5"}, "bad_field", "detention_days"),
        ("detention_decision", {"detention_days": True}, "bad_field", "detention_days"),
        ("detention_decision", {"act": "insult"}, "bad_choice", "act"),
        ("fine_decision", {"person_kind": "natural_person", "amount": "100000.01"}, "out_of_range", "amount"),
        ("fine_decision", {"amount": "49999.99"}, "out_of_range", "amount"),
        (
            "fine_decision",
            {"person_kind": "other_organisation", "amount": "1000000.01"},
            "out_of_range",
            "amount",
        ),
        ("fine_decision", {"amount": "十万"}, "bad_field", "amount"),
        ("fine_decision", {"person_kind": "unit"}, "bad_choice", "person_kind"),
        ("dishonest_listing_decision", {"ground": "以转移财产方式规避执行"}, "bad_choice", "ground"),
        ("dishonest_listing_decision", {"listing_term": "六年"}, "bad_choice", "listing_term"),
        ("dishonest_listing_deletion", {"deletion_ground": "paid"}, "bad_choice", "deletion_ground"),
        ("consumption_restriction_lifting", {"lifting_ground": "consent"}, "bad_choice", "lifting_ground"),
        ("consumption_restriction_order", {"debtor_kind": "company"}, "bad_choice", "debtor_kind"),
    ],
)
def test_values_outside_the_law_are_refused_naming_the_field(
    courts: dict[str, Court], fast_pdf: list[str], kind: str, changes: dict[str, Any], code: str, field: str
) -> None:
    error = _error(courts, kind, **changes)
    assert (error.code, error.field) == (code, field)
    assert fast_pdf == []


def test_the_bound_comes_from_the_legal_parameter_with_its_citation(courts: dict[str, Court]) -> None:
    error = _error(courts, "detention_decision", detention_days=20)
    assert "不得超过15" in error.message and "民事诉讼法" in error.message and "第118条" in error.message
    assert _error(courts, "fine_decision", amount="1000.00").message.count("50000") == 1


def test_fine_bounds_are_inclusive(courts: dict[str, Court], fast_pdf: list[str]) -> None:
    _html(courts, fast_pdf, "fine_decision", amount="50000.00")
    _html(courts, fast_pdf, "fine_decision", amount="1000000.00")
    _html(courts, fast_pdf, "fine_decision", person_kind="natural_person", amount="100000.00")
    _html(courts, fast_pdf, "detention_decision", detention_days="1")


@pytest.mark.parametrize(
    ("header", "complaint"),
    [
        ("choices: {colour: [red]}", "未声明的字段「colour」"),
        ("choices: {act: red}", "choices.act"),
        ("limits: [{field: days, max_param: no_such_param}]", "未知的参数「no_such_param」"),
        ("limits: [{field: colour, max: 3}]", "limits"),
        ("limits: [{field: days, maximum: 3}]", "limits"),
        ("limits: [{field: days, max: 3, when: {colour: red}}]", "limits.when"),
    ],
)
def test_a_header_with_bad_choices_or_limits_is_refused(header: str, complaint: str) -> None:
    head = "title: T\nnumber_code: T\nissuing_roles: [judge]\nrequired: [act, days]"
    source = f"---\n{head}\n{header}\n---\nbody"
    with pytest.raises(rendering.TemplateFileError) as caught:
        rendering.split_source("x", source)
    assert complaint in str(caught.value)


def test_as_list() -> None:
    assert rendering.as_list(["a", "b"]) == ["a", "b"]
    assert rendering.as_list("a") == ["a"]
    assert rendering.as_list("") == [] and rendering.as_list(None) == []
