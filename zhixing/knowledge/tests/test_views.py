"""The 经验交流 screens with the Django test client: the library (search, filters, a query budget),
an item (drafts invisible to others, linked cases only where visible), writing and editing, 发布 /
撤回, the case page's 相关经验 card with its search and 关联 / 取消关联, and the menu entry."""

from __future__ import annotations

from typing import Any

from django.test import Client

from zhixing.cases.models import EnforcementCase
from zhixing.core.models import JournalEvent, User
from zhixing.knowledge import services
from zhixing.knowledge.models import KnowledgeItem, KnowledgeLink
from zhixing.knowledge.tests.conftest import People, write


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_library_lists_searches_and_pages_within_a_query_budget(
    people: People, published: KnowledgeItem, django_assert_max_num_queries: Any
) -> None:
    for i in range(22):
        services.knowledge_item_publish(
            actor=people.chief, item_id=write(people.judge, title=f"执行经验{i:02d}", tags=["批量"]).pk
        )
    write(people.judge, title="法官的草稿")
    c = client_for(people.keqiao_judge)
    with django_assert_max_num_queries(8):
        r = c.get("/knowledge/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "经验交流" in body and 'data-testid="knowledge-table"' in body
    assert "第 1 / 2 页" in body and body.count('data-state="published"') == 20
    assert "法官的草稿" not in body  # another judge's draft
    with django_assert_max_num_queries(8):
        r = c.get("/knowledge/", {"q": "规避", "kind": "practice_note", "tag": "拒执", "court": "浙0602"})
    body = r.content.decode()
    assert f'data-testid="knowledge-{published.pk}"' in body and "执行经验" not in body
    r = c.get("/knowledge/", {"q": "没有这样的经验"})
    assert "没有符合条件的经验材料" in r.content.decode()
    # the author sees the draft with its badge
    body = client_for(people.judge).get("/knowledge/").content.decode()
    assert "法官的草稿" in body and "草稿" in body


def test_an_item_page_shows_body_citations_and_only_visible_linked_cases(
    people: People, case: EnforcementCase
) -> None:
    assert case.judge is not None
    item = write(
        case.judge, kind="typical_case", citations=["《刑法》第三百一十三条"], source_case_id=case.pk
    )
    services.knowledge_item_publish(actor=people.chief, item_id=item.pk)
    services.knowledge_link_case(actor=people.chief, item_id=item.pk, case_id=case.pk, note="同类案件")
    body = client_for(people.keqiao_judge).get(f"/knowledge/{item.pk}/").content.decode()
    assert (
        "被执行人规避执行的识别与应对" in body and "二、应对措施" in body and "《刑法》第三百一十三条" in body
    )
    assert "暂无您可查看的关联案件" in body and f"/cases/{case.pk}/" not in body
    assert case.case_number in body  # the source case named, without a link
    body = client_for(people.chief).get(f"/knowledge/{item.pk}/").content.decode()
    assert f'href="/cases/{case.pk}/"' in body and "同类案件" in body
    assert 'data-testid="knowledge-withdraw"' in body and 'data-testid="knowledge-edit"' in body


def test_drafts_are_not_found_for_others_and_outside_users_see_no_library(
    people: People, published: KnowledgeItem
) -> None:
    draft = write(people.judge, title="草稿")
    assert client_for(people.other_judge).get(f"/knowledge/{draft.pk}/").status_code == 404
    assert client_for(people.keqiao_chief).get(f"/knowledge/{draft.pk}/edit").status_code == 404
    assert client_for(people.chief).get(f"/knowledge/{draft.pk}/").status_code == 200
    assert client_for(people.lawyer).get("/knowledge/").status_code == 404
    assert client_for(people.lawyer).get(f"/knowledge/{published.pk}/").status_code == 404
    assert Client().get("/knowledge/").status_code == 302  # to the login page


def test_write_edit_publish_and_withdraw_through_the_forms(people: People) -> None:
    c = client_for(people.judge)
    assert c.get("/knowledge/new").status_code == 200
    r = c.post("/knowledge/new", {"kind": "practice_note", "title": " ", "tags": ""})
    assert r.status_code == 200 and 'class="error"' in r.content.decode()
    r = c.post(
        "/knowledge/new",
        {"kind": "practice_note", "title": "标题", "tags": "一个非常非常非常非常非常长的标签名称啊"},
    )
    assert r.status_code == 200 and "每个标签不超过 16 个字" in r.content.decode()
    r = c.post(
        "/knowledge/new", {"kind": "practice_note", "title": "标题", "source_case": "（2026）浙0602执1号"}
    )
    assert "来源案件不存在或无权查看" in r.content.decode()
    assert not KnowledgeItem.objects.exists()
    r = c.post(
        "/knowledge/new",
        {
            "kind": "practice_note",
            "title": "终本案件合格性自查要点",
            "body": "一、\n\n二、",
            "tags": "终本、自查",
        },
        follow=True,
    )
    item = KnowledgeItem.objects.get()
    assert r.redirect_chain[-1][0] == f"/knowledge/{item.pk}/" and "已保存为草稿" in r.content.decode()
    assert item.tags == ["终本", "自查"]
    body = r.content.decode()
    assert 'data-testid="knowledge-edit"' in body and 'data-testid="knowledge-publish"' not in body
    r = c.post(
        f"/knowledge/{item.pk}/edit",
        {"kind": "rule_note", "title": "终本自查", "body": "正文", "tags": "终本"},
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.kind == "rule_note" and item.title == "终本自查"
    # the judge cannot publish; the chief can
    r = c.post(f"/knowledge/{item.pk}/publish", follow=True)
    assert "发布经验材料须由" in r.content.decode()
    chief = client_for(people.chief)
    assert 'data-testid="knowledge-publish"' in chief.get(f"/knowledge/{item.pk}/").content.decode()
    r = chief.post(f"/knowledge/{item.pk}/publish", follow=True)
    assert "已发布" in r.content.decode()
    item.refresh_from_db()
    assert item.status == "published"
    # published: the author is sent back from the edit page; the chief withdraws with a reason
    r = c.get(f"/knowledge/{item.pk}/edit", follow=True)
    assert "须先撤回" in r.content.decode()
    r = chief.post(f"/knowledge/{item.pk}/withdraw", {"reason": ""}, follow=True)
    assert "撤回理由不能为空" in r.content.decode()
    r = chief.post(f"/knowledge/{item.pk}/withdraw", {"reason": "已过时"}, follow=True)
    item.refresh_from_db()
    assert item.status == "withdrawn" and "已撤回" in r.content.decode()
    kinds = list(
        JournalEvent.objects.filter(stream="org:浙0602", kind__startswith="knowledge.").values_list(
            "kind", flat=True
        )
    )
    assert kinds == ["knowledge.created", "knowledge.updated", "knowledge.published", "knowledge.withdrawn"]


def test_a_clerk_reads_but_does_not_write(people: People, published: KnowledgeItem) -> None:
    c = client_for(people.clerk)
    body = c.get("/knowledge/").content.decode()
    assert published.title in body and 'data-testid="knowledge-new"' not in body
    r = c.get("/knowledge/new", follow=True)
    assert "您的角色不能撰写经验材料" in r.content.decode()
    assert '<a href="/knowledge/"' in body  # the menu entry 经验交流


def test_the_case_page_card_finds_links_and_unlinks_items(
    people: People, published: KnowledgeItem, case: EnforcementCase, django_assert_max_num_queries: Any
) -> None:
    assert case.judge is not None
    c = client_for(case.judge)
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert f'hx-get="/knowledge/cases/{case.pk}/panel"' in page and 'data-testid="knowledge"' in page
    with django_assert_max_num_queries(8):
        r = c.get(f"/knowledge/cases/{case.pk}/panel")
    body = r.content.decode()
    assert "相关经验" in body and "本案尚未关联经验材料" in body and 'data-testid="knowledge-find"' in body
    body = c.get(f"/knowledge/cases/{case.pk}/panel", {"q": "规避"}).content.decode()
    assert 'data-testid="knowledge-candidates"' in body and published.title in body
    r = c.post(f"/knowledge/cases/{case.pk}/link", {"item": published.pk, "note": "参照"}, follow=True)
    assert r.redirect_chain[0][0] == f"/cases/{case.pk}/#knowledge"
    assert f"已关联《{published.title}》" in r.content.decode()
    assert KnowledgeLink.objects.filter(case=case, item=published).exists()
    body = c.get(f"/knowledge/cases/{case.pk}/panel", {"q": "规避"}).content.decode()
    assert f'data-testid="knowledge-link-{published.pk}"' in body and "没有找到可关联的经验材料" in body
    r = c.post(f"/knowledge/cases/{case.pk}/link", {"item": published.pk}, follow=True)
    assert "本案已关联该经验材料" in r.content.decode()
    r = c.post(f"/knowledge/cases/{case.pk}/items/{published.pk}/unlink", follow=True)
    assert "已取消关联" in r.content.decode() and not KnowledgeLink.objects.exists()


def test_the_case_card_is_read_only_or_not_found_outside_the_team(
    people: People, published: KnowledgeItem, case: EnforcementCase
) -> None:
    services.knowledge_link_case(actor=people.chief, item_id=published.pk, case_id=case.pk)
    president = client_for(people.president)  # sees the court's cases but does not link
    body = president.get(f"/knowledge/cases/{case.pk}/panel", {"q": "规避"}).content.decode()
    assert published.title in body and 'data-testid="knowledge-find"' not in body and "取消关联" not in body
    r = president.post(f"/knowledge/cases/{case.pk}/items/{published.pk}/unlink", follow=True)
    assert "此操作须由" in r.content.decode() and KnowledgeLink.objects.exists()
    outsider = people.other_judge if people.judge.team_id == case.team_id else people.judge
    for u in (outsider, people.keqiao_judge):
        c = client_for(u)
        assert c.get(f"/knowledge/cases/{case.pk}/panel").status_code == 404
        assert c.post(f"/knowledge/cases/{case.pk}/link", {"item": published.pk}).status_code == 404
    assert KnowledgeLink.objects.count() == 1
