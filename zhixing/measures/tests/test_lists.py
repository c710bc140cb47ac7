"""The published lists, the in-memory index kept current from the change feed, partners' single and
batch checks (rate-limited, logged), the feed from a cursor, and the public search."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from zhixing.cases.models import CaseApplication, EnforcementCase
from zhixing.cases.tests.conftest import World
from zhixing.core import identity
from zhixing.core.demo import resident_id
from zhixing.measures import lists
from zhixing.measures.models import ListChange, ListEntry, Measure, PartnerCheck


@pytest.fixture
def listed_case(world: World, submit: Callable[..., CaseApplication]) -> EnforcementCase:
    from zhixing.cases import services

    app = submit()
    return services.application_accept(actor=world.clerk, application_id=app.pk)


def publish(case: EnforcementCase, kind: str = ListEntry.Kind.DISHONEST) -> Measure:
    party = case.parties.get(role="debtor").party
    assert case.judge is not None
    m = Measure.objects.create(
        case=case,
        party=party,
        kind="dishonest_listing" if kind == ListEntry.Kind.DISHONEST else "consumption_restriction",
        decided_on=case.filed_on,
        starts_on=case.filed_on,
        decided_by=case.judge,
    )
    lists.entry_publish(measure=m, kind=kind, public={"name": party.name, "id_masked": party.id_masked})
    return m


def debtor_id(case: EnforcementCase) -> str:
    return identity.decrypt(case.parties.get(role="debtor").party.id_cipher)


def test_the_index_follows_publication_and_removal(listed_case: EnforcementCase) -> None:
    index = lists.ListIndex(refresh_seconds=0)
    number = debtor_id(listed_case)
    other = resident_id("330602", "19900101", 555)
    assert not lists.check([number], index=index)[0].listed
    m1 = publish(listed_case)
    m2 = publish(listed_case, ListEntry.Kind.CONSUMPTION)
    r, o = lists.check([number, other], index=index)
    assert r.listed and set(r.lists) == {"dishonest", "consumption"} and not o.listed and o.valid
    lists.entries_remove(measure=m1)
    r = lists.check([number], index=index)[0]
    assert r.listed and r.lists == ("consumption",)
    lists.entries_remove(measure=m2)
    assert not lists.check([number], index=index)[0].listed
    assert list(ListChange.objects.values_list("change", flat=True)) == [
        "added",
        "added",
        "removed",
        "removed",
    ]
    assert lists.check(["12345"], index=index)[0].valid is False


def test_a_prefix_collision_in_the_index_never_flags_anyone(listed_case: EnforcementCase) -> None:
    index = lists.ListIndex(refresh_seconds=3600)
    index.load()
    number = debtor_id(listed_case)
    lookup = identity.lookup_hash("resident_id", number)
    index._counts[lists._key(lookup)] = 1  # as if another identity shared the 8-byte prefix
    assert not lists.check([number], index=index)[0].listed  # confirmed against the database: not listed


def api(key: str) -> Client:
    return Client(headers={"X-Partner-Key": key})


def test_partners_check_singly_and_in_batches_and_every_check_is_logged(listed_case: EnforcementCase) -> None:
    publish(listed_case)
    _, key = lists.partner_create(name="东方航空", kind="airline", rate_per_minute=5)
    number = debtor_id(listed_case)
    assert (
        Client()
        .post("/api/v1/measures/partners/check", {"id_number": number}, content_type="application/json")
        .status_code
        == 401
    )
    assert (
        api("zxp_bad_key")
        .post("/api/v1/measures/partners/check", {"id_number": number}, content_type="application/json")
        .status_code
        == 401
    )
    r = api(key).post(
        "/api/v1/measures/partners/check", {"id_number": number}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json() == {
        "id_number": number,
        "valid": True,
        "listed": True,
        "lists": ["dishonest"],
    }
    others = [resident_id("330602", "19700101", i) for i in range(1, 999)]
    batch = [*others, number, "not-an-id"]
    r = api(key).post(
        "/api/v1/measures/partners/check-batch", {"id_numbers": batch}, content_type="application/json"
    )
    body = r.json()
    assert r.status_code == 200 and len(body) == 1000
    assert (
        [b["listed"] for b in body].count(True) == 1 and body[998]["listed"] and body[999]["valid"] is False
    )
    too_many = api(key).post(
        "/api/v1/measures/partners/check-batch",
        {"id_numbers": [*batch, number]},
        content_type="application/json",
    )
    assert too_many.status_code == 400 and too_many.json()["error"]["code"] == "too_many"
    logs = list(PartnerCheck.objects.order_by("id").values_list("kind", "count", "hits"))
    assert logs == [("single", 1, 1), ("batch", 1000, 1)]
    for _ in range(3):
        api(key).post(
            "/api/v1/measures/partners/check", {"id_number": number}, content_type="application/json"
        )
    limited = api(key).post(
        "/api/v1/measures/partners/check", {"id_number": number}, content_type="application/json"
    )
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"


def test_the_change_feed_from_a_cursor_and_full_identities_only_by_agreement(
    listed_case: EnforcementCase,
) -> None:
    m = publish(listed_case)
    lists.entries_remove(measure=m)
    _, key = lists.partner_create(name="铁路", kind="railway")
    _, mirror_key = lists.partner_create(name="征信", kind="other", may_mirror=True)
    feed = api(key).get("/api/v1/measures/partners/changes?cursor=0").json()
    assert [c["change"] for c in feed] == ["added", "removed"] and feed[0]["id_number"] is None
    assert (
        api(key).get(f"/api/v1/measures/partners/changes?cursor={feed[0]['cursor']}").json()[0]["change"]
        == "removed"
    )
    assert api(key).get(f"/api/v1/measures/partners/changes?cursor={feed[-1]['cursor']}").json() == []
    mirrored = api(mirror_key).get("/api/v1/measures/partners/changes").json()
    assert mirrored[0]["id_number"] == debtor_id(listed_case)


def test_the_public_search_shows_the_published_fields_only(listed_case: EnforcementCase) -> None:
    publish(listed_case)
    party = listed_case.parties.get(role="debtor").party
    by_name = (
        Client()
        .post("/api/v1/measures/public/search", {"q": party.name}, content_type="application/json")
        .json()
    )
    assert by_name == [{"list": "dishonest", "published": {"name": party.name, "id_masked": party.id_masked}}]
    by_id = (
        Client()
        .post(
            "/api/v1/measures/public/search", {"q": debtor_id(listed_case)}, content_type="application/json"
        )
        .json()
    )
    assert by_id == by_name and "*" in by_id[0]["published"]["id_masked"]
    assert (
        Client()
        .post("/api/v1/measures/public/search", {"q": "x"}, content_type="application/json")
        .status_code
        == 400
    )
