"""/api/v1/knowledge: search with pages, one item with the linked cases the caller may see; drafts
are not found for others; outside callers see nothing; no session, no answer."""

from __future__ import annotations

from django.test import Client

from zhixing.cases.models import EnforcementCase
from zhixing.core.models import User
from zhixing.knowledge import services
from zhixing.knowledge.models import KnowledgeItem
from zhixing.knowledge.tests.conftest import People, write


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_search_pages_and_filters(people: People, published: KnowledgeItem) -> None:
    write(people.judge, title="草稿不出现")
    c = client_for(people.keqiao_judge)
    data = c.get("/api/v1/knowledge", {"q": "规避"}).json()
    assert data["count"] == 1 and data["page"] == 1 and data["pages"] == 1
    hit = data["results"][0]
    assert hit["id"] == published.pk and hit["court_code"] == "浙0602" and hit["tags"] == ["规避执行", "拒执"]
    assert hit["status"] == "published" and hit["published_at"]
    assert c.get("/api/v1/knowledge", {"tag": "终本"}).json()["count"] == 0
    assert c.get("/api/v1/knowledge", {"page_size": 1000}).json()["count"] == 1
    assert client_for(people.judge).get("/api/v1/knowledge").json()["count"] == 2
    assert client_for(people.lawyer).get("/api/v1/knowledge").json()["count"] == 0
    assert Client().get("/api/v1/knowledge").status_code == 401


def test_an_item_with_its_visible_cases(
    people: People, published: KnowledgeItem, case: EnforcementCase
) -> None:
    services.knowledge_link_case(actor=people.chief, item_id=published.pk, case_id=case.pk, note="参照")
    data = client_for(people.chief).get(f"/api/v1/knowledge/{published.pk}").json()
    assert data["body"].startswith("一、识别线索") and data["citations"] == []
    assert data["cases"] == [
        {
            "case_id": case.pk,
            "case_number": case.case_number,
            "court_code": "浙0602",
            "note": "参照",
            "linked_at": data["cases"][0]["linked_at"],
        }
    ]
    assert client_for(people.keqiao_judge).get(f"/api/v1/knowledge/{published.pk}").json()["cases"] == []
    draft = write(people.judge, title="草稿")
    r = client_for(people.keqiao_judge).get(f"/api/v1/knowledge/{draft.pk}")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert client_for(people.judge).get(f"/api/v1/knowledge/{draft.pk}").status_code == 200
