"""The knowledge services: writing, editing, publishing, withdrawing, linking to cases — every
refusal (bad input, wrong role, out of scope) changes nothing; every act is journaled."""

from __future__ import annotations

from typing import Any

import pytest

from zhixing.cases.models import EnforcementCase
from zhixing.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhixing.core.models import JournalEvent, User
from zhixing.core.roles import Role
from zhixing.knowledge import services
from zhixing.knowledge.models import KnowledgeItem, KnowledgeLink
from zhixing.knowledge.tests.conftest import People, write

S = KnowledgeItem.Status


def knowledge_kinds(stream: str) -> list[str]:
    events = JournalEvent.objects.filter(stream=stream, kind__startswith="knowledge.").order_by("seq")
    return list(events.values_list("kind", flat=True))


def org_kinds(code: str = "浙0602") -> list[str]:
    return knowledge_kinds(f"org:{code}")


def outsider_of(case: EnforcementCase, p: People) -> User:
    """A judge of the same court but of the other team."""
    return p.other_judge if p.judge.team_id == case.team_id else p.judge


# --- writing ---------------------------------------------------------------------------------------------
def test_a_judge_writes_a_draft_of_their_court_journaled_on_the_court_stream(people: People) -> None:
    item = write(people.judge, tags="规避执行、拒执, 拒执 #财产调查", citations="《刑法》第三百一十三条\n\n")
    assert item.status == S.DRAFT and item.court == people.w.court and item.author == people.judge
    assert item.tags == ["规避执行", "拒执", "财产调查"] and item.tags_text == "|规避执行|拒执|财产调查|"
    assert item.citations == ["《刑法》第三百一十三条"]
    ev = JournalEvent.objects.get(stream="org:浙0602", kind="knowledge.created")
    assert ev.actor == people.judge and ev.payload["item"] == item.pk and ev.court == people.w.court


@pytest.mark.parametrize(
    ("kw", "code", "message"),
    [
        ({"title": "  "}, "title_required", "标题不能为空"),
        ({"title": "长" * 121}, "title_too_long", "标题不能超过 120 个字"),
        ({"kind": "gossip"}, "unknown_kind", "未知的类别：gossip"),
        ({"summary": "摘" * 501}, "summary_too_long", "摘要不能超过 500 个字"),
        ({"tags": ["规避执行被执行人财产转移的识别方法"]}, "tag_too_long", "每个标签不超过 16 个字"),
        ({"tags": [f"标签{i}" for i in range(9)]}, "too_many_tags", "标签不能超过 8 个"),
        ({"tags": ["a|b"]}, "bad_tag", "不能含有竖线"),
        ({"citations": ["依" * 201]}, "citation_too_long", "引用依据每条不超过 200 个字"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(
    people: People, kw: dict[str, Any], code: str, message: str
) -> None:
    with pytest.raises(ServiceError) as e:
        write(people.judge, **kw)
    assert e.value.code == code and message in e.value.message
    assert not KnowledgeItem.objects.exists() and org_kinds() == []


@pytest.mark.parametrize("who", ["clerk", "lawyer"])
def test_roles_that_do_not_write_are_refused(people: People, who: str) -> None:
    with pytest.raises(PermissionDenied) as e:
        write(getattr(people, who))
    assert "撰写经验材料须由" in e.value.message
    assert not KnowledgeItem.objects.exists()


def test_the_source_case_must_be_one_the_author_may_see(people: People, case: EnforcementCase) -> None:
    with pytest.raises(NotFound) as e:
        write(people.keqiao_judge, kind="typical_case", source_case_id=case.pk)
    assert e.value.field == "source_case"
    with pytest.raises(NotFound):
        write(outsider_of(case, people), kind="typical_case", source_case_id=case.pk)
    item = write(case.judge, kind="typical_case", source_case_id=case.pk)  # type: ignore[arg-type]
    assert item.source_case == case
    assert KnowledgeItem.objects.count() == 1


# --- editing ---------------------------------------------------------------------------------------------
def test_the_author_edits_a_draft_and_the_journal_names_the_changed_fields(people: People) -> None:
    item = write(people.judge)
    same = services.knowledge_item_update(actor=people.judge, item_id=item.pk, title=item.title)
    assert same.updated_at == item.updated_at  # nothing changed, nothing journaled
    item = services.knowledge_item_update(actor=people.judge, item_id=item.pk, title="新标题", tags="终本")
    assert item.title == "新标题" and item.tags == ["终本"] and item.tags_text == "|终本|"
    ev = JournalEvent.objects.get(stream="org:浙0602", kind="knowledge.updated")
    assert ev.payload["fields"] == ["tags", "title"]


def test_a_draft_is_invisible_to_others_and_editing_it_is_not_found(people: People) -> None:
    item = write(people.judge)
    for other in (people.other_judge, people.president, people.keqiao_chief, people.city_operator):
        with pytest.raises(NotFound):
            services.knowledge_item_update(actor=other, item_id=item.pk, title="改")
    # the court's bureau chief may
    services.knowledge_item_update(actor=people.chief, item_id=item.pk, title="局长修改")
    assert KnowledgeItem.objects.get().title == "局长修改"


def test_a_published_item_is_edited_by_the_bureau_chief_not_by_its_author_or_others(
    people: People, published: KnowledgeItem
) -> None:
    with pytest.raises(PermissionDenied) as e:
        services.knowledge_item_update(actor=people.judge, item_id=published.pk, title="改")
    assert e.value.code == "published" and "须先撤回" in e.value.message
    for other in (people.other_judge, people.keqiao_chief):
        with pytest.raises(PermissionDenied):
            services.knowledge_item_update(actor=other, item_id=published.pk, title="改")
    with pytest.raises(ServiceError) as e2:
        services.knowledge_item_update(actor=people.chief, item_id=published.pk, body=" ")
    assert e2.value.code == "body_required"
    assert KnowledgeItem.objects.get().title == published.title
    services.knowledge_item_update(actor=people.chief, item_id=published.pk, summary="更正摘要")
    assert KnowledgeItem.objects.get().summary == "更正摘要"


# --- publishing and withdrawing --------------------------------------------------------------------------
def test_the_bureau_chief_publishes_a_judges_draft(people: People) -> None:
    item = write(people.judge)
    with pytest.raises(PermissionDenied) as e:
        services.knowledge_item_publish(actor=people.judge, item_id=item.pk)
    assert "发布经验材料须由" in e.value.message
    item = services.knowledge_item_publish(actor=people.chief, item_id=item.pk)
    assert item.status == S.PUBLISHED and item.published_by == people.chief and item.published_at
    assert org_kinds() == ["knowledge.created", "knowledge.published"]
    with pytest.raises(Conflict):
        services.knowledge_item_publish(actor=people.chief, item_id=item.pk)


def test_publishing_needs_a_body_and_a_draft_the_publisher_can_see(people: People) -> None:
    empty = write(people.judge, body="")
    with pytest.raises(ServiceError) as e:
        services.knowledge_item_publish(actor=people.chief, item_id=empty.pk)
    assert e.value.code == "body_required" and "正文为空" in e.value.message
    # another court's chief and the upper court's command centre do not see the draft
    for other in (people.keqiao_chief, people.city_operator, people.president):
        with pytest.raises(NotFound):
            services.knowledge_item_publish(actor=other, item_id=empty.pk)
    assert KnowledgeItem.objects.get().status == S.DRAFT
    # a command operator publishes their own draft
    own = write(people.city_operator, title="拒执罪移送的证据标准")
    assert own.court.court_code == "浙06"
    assert services.knowledge_item_publish(actor=people.city_operator, item_id=own.pk).status == S.PUBLISHED
    assert org_kinds("浙06") == ["knowledge.created", "knowledge.published"]


def test_withdrawing_needs_a_reason_a_publisher_role_and_the_court_in_scope(
    people: People, published: KnowledgeItem
) -> None:
    with pytest.raises(ServiceError) as e:
        services.knowledge_item_withdraw(actor=people.chief, item_id=published.pk, reason=" ")
    assert e.value.code == "reason_required" and "撤回理由不能为空" in e.value.message
    with pytest.raises(PermissionDenied):
        services.knowledge_item_withdraw(actor=people.judge, item_id=published.pk, reason="过时")
    with pytest.raises(PermissionDenied) as e2:
        services.knowledge_item_withdraw(actor=people.keqiao_chief, item_id=published.pk, reason="过时")
    assert "只能撤回本院或辖区法院" in e2.value.message
    assert KnowledgeItem.objects.get().status == S.PUBLISHED
    # the upper court's command centre may
    item = services.knowledge_item_withdraw(
        actor=people.city_operator, item_id=published.pk, reason="司法解释已修改"
    )
    assert item.status == S.WITHDRAWN and item.withdrawn_reason == "司法解释已修改"
    ev = JournalEvent.objects.get(stream="org:浙0602", kind="knowledge.withdrawn")
    assert ev.actor == people.city_operator and ev.payload["reason"] == "司法解释已修改"
    # withdrawn: not visible to others any more; the author may edit it, the chief republishes it
    with pytest.raises(NotFound):
        services.knowledge_item_withdraw(actor=people.city_operator, item_id=item.pk, reason="再撤")
    with pytest.raises(Conflict):
        services.knowledge_item_withdraw(actor=people.chief, item_id=item.pk, reason="再撤")
    services.knowledge_item_update(actor=people.judge, item_id=item.pk, body="依新司法解释修订。")
    assert services.knowledge_item_publish(actor=people.chief, item_id=item.pk).status == S.PUBLISHED


# --- links to cases --------------------------------------------------------------------------------------
def test_the_cases_team_links_and_unlinks_a_published_item_journaled_on_the_case(
    people: People, published: KnowledgeItem, case: EnforcementCase
) -> None:
    judge = case.judge
    assert judge is not None
    link = services.knowledge_link_case(
        actor=judge, item_id=published.pk, case_id=case.pk, note="参照识别线索"
    )
    assert link.case == case and link.linked_by == judge
    with pytest.raises(Conflict):
        services.knowledge_link_case(actor=judge, item_id=published.pk, case_id=case.pk)
    ev = JournalEvent.objects.get(stream=case.stream, kind="knowledge.linked")
    assert ev.payload["note"] == "参照识别线索" and ev.payload["detail"] == f"《{published.title}》"
    services.knowledge_unlink_case(actor=judge, item_id=published.pk, case_id=case.pk)
    assert not KnowledgeLink.objects.exists()
    assert knowledge_kinds(case.stream) == ["knowledge.linked", "knowledge.unlinked"]
    with pytest.raises(NotFound) as e:
        services.knowledge_unlink_case(actor=judge, item_id=published.pk, case_id=case.pk)
    assert "本案没有关联" in e.value.message


def test_the_bureau_chief_and_the_command_centre_may_link_too(
    people: People, published: KnowledgeItem, case: EnforcementCase
) -> None:
    services.knowledge_link_case(actor=people.chief, item_id=published.pk, case_id=case.pk)
    services.knowledge_unlink_case(actor=people.city_operator, item_id=published.pk, case_id=case.pk)
    assert knowledge_kinds(case.stream) == ["knowledge.linked", "knowledge.unlinked"]


def test_linking_is_refused_outside_the_team_or_scope_and_for_other_roles(
    people: People, published: KnowledgeItem, case: EnforcementCase
) -> None:
    for outsider in (outsider_of(case, people), people.keqiao_judge, people.keqiao_chief):
        with pytest.raises(NotFound):
            services.knowledge_link_case(actor=outsider, item_id=published.pk, case_id=case.pk)
    with pytest.raises(PermissionDenied) as e:
        services.knowledge_link_case(actor=people.president, item_id=published.pk, case_id=case.pk)
    assert "此操作须由" in e.value.message
    with pytest.raises(NotFound):
        services.knowledge_link_case(actor=people.lawyer, item_id=published.pk, case_id=case.pk)
    with pytest.raises(ServiceError) as e2:
        services.knowledge_link_case(actor=case.judge, item_id=published.pk, case_id=case.pk, note="长" * 201)  # type: ignore[arg-type]
    assert e2.value.code == "note_too_long"
    assert not KnowledgeLink.objects.exists() and knowledge_kinds(case.stream) == []


def test_only_published_items_are_linked_and_unlinking_needs_the_team(
    people: People, published: KnowledgeItem, case: EnforcementCase
) -> None:
    judge = case.judge
    assert judge is not None
    draft = write(judge, title="草稿")
    with pytest.raises(ServiceError) as e:
        services.knowledge_link_case(actor=judge, item_id=draft.pk, case_id=case.pk)
    assert e.value.code == "not_published"
    other_draft = write(people.keqiao_judge, title="他院草稿")
    with pytest.raises(NotFound):
        services.knowledge_link_case(actor=judge, item_id=other_draft.pk, case_id=case.pk)
    services.knowledge_link_case(actor=judge, item_id=published.pk, case_id=case.pk)
    with pytest.raises(NotFound):
        services.knowledge_unlink_case(actor=outsider_of(case, people), item_id=published.pk, case_id=case.pk)
    with pytest.raises(PermissionDenied):
        services.knowledge_unlink_case(actor=people.president, item_id=published.pk, case_id=case.pk)
    assert KnowledgeLink.objects.count() == 1


def test_the_event_labels_are_registered() -> None:
    from zhixing.core.journal import event_label

    assert event_label("knowledge.linked") == "关联经验材料"
    assert event_label("knowledge.published") == "发布经验材料"
    assert Role.BUREAU_CHIEF in services.policy.PUBLISHER_ROLES
