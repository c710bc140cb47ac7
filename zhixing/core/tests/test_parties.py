from collections.abc import Callable

import pytest

from zhixing.core import identity, services
from zhixing.core.demo import credit_code, resident_id
from zhixing.core.errors import NotFound, ServiceError
from zhixing.core.models import JournalEvent, Party, User
from zhixing.core.roles import Role


def test_register_stores_only_cipher_and_mask(make_user: Callable[..., User]) -> None:
    clerk = make_user(Role.CLERK)
    number = resident_id("330602", "19800101", 101)
    party, created = services.party_register(
        actor=clerk, kind="natural_person", name="王建华", id_number=number
    )
    assert created
    row = Party.objects.get(pk=party.pk)
    assert number not in row.id_cipher and row.id_masked == identity.mask(number)
    assert identity.decrypt(row.id_cipher) == number
    ev = JournalEvent.objects.get(stream=f"party:{party.pk}")
    assert number not in str(ev.payload)  # the journal never holds the clear number


def test_same_identity_finds_existing_party(make_user: Callable[..., User]) -> None:
    clerk = make_user(Role.CLERK)
    number = resident_id("330602", "19800101", 101)
    p1, _ = services.party_register(actor=clerk, kind="natural_person", name="王建华", id_number=number)
    p2, created = services.party_register(
        actor=clerk, kind="natural_person", name="王建华", id_number=number.lower()
    )
    assert p1.pk == p2.pk and not created
    assert services.party_find_by_identity(id_type="resident_id", id_number=number) == p1


@pytest.mark.parametrize(
    ("kind", "number", "code"),
    [
        ("natural_person", "123", "bad_length"),
        ("legal_person", resident_id("330602", "19800101", 101), "bad_checksum"),
        ("martian", "x", "bad_kind"),
    ],
)
def test_bad_input_changes_nothing(make_user: Callable[..., User], kind: str, number: str, code: str) -> None:
    clerk = make_user(Role.CLERK)
    before = JournalEvent.objects.count()
    with pytest.raises(ServiceError) as e:
        services.party_register(actor=clerk, kind=kind, name="某某", id_number=number)
    assert e.value.code == code
    assert not Party.objects.exists()
    assert JournalEvent.objects.count() == before


def test_reveal_needs_purpose_and_is_journaled(make_user: Callable[..., User]) -> None:
    clerk = make_user(Role.CLERK)
    org = credit_code("330602", 5)
    party, _ = services.party_register(actor=clerk, kind="legal_person", name="某公司", id_number=org)
    with pytest.raises(ServiceError, match="用途"):
        services.party_identity_reveal(actor=clerk, party=party, purpose=" ")
    assert services.party_identity_reveal(actor=clerk, party=party, purpose="核对身份") == org
    ev = JournalEvent.objects.filter(stream=f"party:{party.pk}").last()
    assert ev is not None and ev.kind == "identity.revealed" and ev.payload["purpose"] == "核对身份"
    assert ev.actor == clerk


def test_other_court_cannot_reveal(make_user: Callable[..., User]) -> None:
    clerk = make_user(Role.CLERK, "浙0602")
    other = make_user(Role.JUDGE, "浙0603")
    party, _ = services.party_register(
        actor=clerk, kind="natural_person", name="李丽", id_number=resident_id("330602", "19900101", 7)
    )
    with pytest.raises(NotFound):
        services.party_identity_reveal(actor=other, party=party, purpose="好奇")
    assert not JournalEvent.objects.filter(kind="identity.revealed").exists()
