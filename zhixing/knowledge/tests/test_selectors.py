"""Search and visibility: published items city-wide, drafts to their author and the court's chief;
words found in the title, summary, body or tags; filters by kind, exact tag and court."""

from __future__ import annotations

from typing import Any

import pytest

from zhixing.cases.models import EnforcementCase
from zhixing.knowledge import selectors, services
from zhixing.knowledge.models import KnowledgeItem
from zhixing.knowledge.tests.conftest import People, write


def titles(qs: Any) -> set[str]:
    return {i.title for i in qs}


@pytest.fixture
def library(people: People) -> dict[str, KnowledgeItem]:
    def pub(author: Any, publisher: Any, **kw: Any) -> KnowledgeItem:
        item = write(author, **kw)
        return services.knowledge_item_publish(actor=publisher, item_id=item.pk)

    return {
        "evasion": pub(people.judge, people.chief, title="被执行人规避执行的识别与应对", tags=["规避执行"]),
        "zhongben": pub(
            people.keqiao_judge,
            people.keqiao_chief,
            kind="rule_note",
            title="终本案件合格性自查要点",
            summary="终结本次执行程序前逐项自查",
            body="财产调查穷尽；约谈申请执行人。",
            tags=["终本", "合格率"],
        ),
        "auction": pub(
            people.city_operator,
            people.city_operator,
            kind="typical_case",
            title="网络司法拍卖前联合审查",
            summary="",
            body="起拍价不低于参考价的百分之七十。",
            tags=["网络司法拍卖", "Auction"],
        ),
        "draft": write(people.judge, title="尚未发布的草稿", body="草稿正文 规避", tags=["规避执行"]),
    }


def test_published_items_are_shared_city_wide_and_drafts_stay_with_author_and_chief(
    people: People, library: dict[str, KnowledgeItem]
) -> None:
    published = {"被执行人规避执行的识别与应对", "终本案件合格性自查要点", "网络司法拍卖前联合审查"}
    assert titles(selectors.knowledge_search(user=people.keqiao_judge)) == published
    assert titles(selectors.knowledge_search(user=people.other_judge)) == published
    assert titles(selectors.knowledge_search(user=people.clerk)) == published  # every staff role reads
    assert titles(selectors.knowledge_search(user=people.judge)) == published | {"尚未发布的草稿"}
    assert titles(selectors.knowledge_search(user=people.chief)) == published | {"尚未发布的草稿"}
    assert titles(selectors.knowledge_search(user=people.keqiao_chief)) == published
    assert not selectors.knowledge_search(user=people.lawyer).exists()  # outside users see nothing
    # drafts first for whoever sees them
    assert next(iter(selectors.knowledge_search(user=people.judge))).title == "尚未发布的草稿"
    assert selectors.knowledge_get(user=people.other_judge, item_id=library["draft"].pk) is None
    assert selectors.knowledge_get(user=people.chief, item_id=library["draft"].pk) is not None


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("规避", {"被执行人规避执行的识别与应对"}),  # title (and the draft's body, not visible)
        ("逐项自查", {"终本案件合格性自查要点"}),  # summary
        ("参考价", {"网络司法拍卖前联合审查"}),  # body
        ("合格率", {"终本案件合格性自查要点"}),  # a tag
        ("auction", {"网络司法拍卖前联合审查"}),  # case-insensitive
        ("终本 约谈", {"终本案件合格性自查要点"}),  # every word must match
        ("终本 拍卖", set()),
        ("", {"被执行人规避执行的识别与应对", "终本案件合格性自查要点", "网络司法拍卖前联合审查"}),
    ],
)
def test_search_finds_words_in_title_summary_body_and_tags(
    people: People, library: dict[str, KnowledgeItem], q: str, expected: set[str]
) -> None:
    assert titles(selectors.knowledge_search(user=people.keqiao_judge, q=q)) == expected


def test_filters_by_kind_exact_tag_and_court(people: People, library: dict[str, KnowledgeItem]) -> None:
    u = people.keqiao_judge
    assert titles(selectors.knowledge_search(user=u, kind="rule_note")) == {"终本案件合格性自查要点"}
    assert not selectors.knowledge_search(user=u, kind="nonsense").exists()
    assert titles(selectors.knowledge_search(user=u, tag="终本")) == {"终本案件合格性自查要点"}
    assert not selectors.knowledge_search(user=u, tag="终").exists()  # a tag matches whole
    assert titles(selectors.knowledge_search(user=u, court="浙06")) == {"网络司法拍卖前联合审查"}
    assert titles(selectors.knowledge_search(user=people.judge, tag="规避执行")) == {
        "被执行人规避执行的识别与应对",
        "尚未发布的草稿",
    }
    assert titles(selectors.knowledge_search(user=people.judge, tag="规避执行", status="published")) == {
        "被执行人规避执行的识别与应对"
    }


def test_linked_cases_show_only_where_the_reader_may_see_the_case(
    people: People, library: dict[str, KnowledgeItem], case: EnforcementCase
) -> None:
    item = library["zhongben"]  # 柯桥's item, linked to a 越城 case
    services.knowledge_link_case(actor=people.chief, item_id=item.pk, case_id=case.pk)
    assert [link.case for link in selectors.knowledge_item_links(user=people.chief, item=item)] == [case]
    assert [link.case for link in selectors.knowledge_item_links(user=case.judge, item=item)] == [case]  # type: ignore[arg-type]
    assert not selectors.knowledge_item_links(user=people.keqiao_chief, item=item).exists()
    other = people.other_judge if people.judge.team_id == case.team_id else people.judge
    assert not selectors.knowledge_item_links(user=other, item=item).exists()
    assert [link.item for link in selectors.knowledge_for_case(user=people.chief, case=case)] == [item]
