"""共享内核的写操作 — the only writers of organisation, staff, parties and approvals.

One function per act, keyword-only; each checks permission, writes in one transaction and
journals the act.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhixing.core import identity
from zhixing.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhixing.core.journal import journal_append
from zhixing.core.models import ApprovalRequest, Court, Department, Party, Team, User
from zhixing.core.roles import EXTERNAL_ROLES, TEAM_ROLES, Role
from zhixing.core.scoping import scope_for

COURTS_FILE = Path(__file__).parent / "data" / "courts.yaml"


# --- organisation ---------------------------------------------------------------------------
@transaction.atomic
def org_seed_courts() -> list[Court]:
    """载入法院树（浙江高院、绍兴中院及六家基层法院）。Idempotent."""
    rows = yaml.safe_load(COURTS_FILE.read_text(encoding="utf-8"))
    courts: dict[str, Court] = {}
    for row in rows:
        parent = courts.get(row.get("parent")) if row.get("parent") else None
        court, created = Court.objects.get_or_create(
            court_code=row["court_code"],
            defaults={
                "name": row["name"],
                "short_name": row["short_name"],
                "level": row["level"],
                "parent": parent,
                "division_code": row.get("division_code", ""),
            },
        )
        if created:
            journal_append(
                stream=f"org:{court.court_code}",
                kind="court.created",
                actor=None,
                court=court,
                payload={"court_code": court.court_code, "name": court.name, "level": court.level},
            )
        courts[court.court_code] = court
    return list(courts.values())


@transaction.atomic
def department_create(*, court: Court, kind: str, name: str) -> Department:
    dept, _ = Department.objects.get_or_create(court=court, name=name, defaults={"kind": kind})
    return dept


@transaction.atomic
def team_create(*, court: Court, department: Department, name: str, track: str) -> Team:
    """设立执行团队。"""
    if department.court_id != court.pk:
        raise ServiceError("团队所属部门必须在同一法院", code="department_other_court", field="department")
    if track not in Team.Track.values:
        raise ServiceError(f"未知的团队类型「{track}」", code="bad_track", field="track")
    team, created = Team.objects.get_or_create(
        court=court, name=name, defaults={"department": department, "track": track}
    )
    if created:
        journal_append(
            stream=f"org:{court.court_code}",
            kind="team.created",
            actor=None,
            court=court,
            payload={"team": name, "track": track},
        )
    return team


@transaction.atomic
def staff_create(
    *,
    username: str,
    full_name: str,
    court: Court,
    role: str,
    password: str = "",
    password_hash: str = "",
    team: Team | None = None,
    actor: User | None = None,
    check_password: bool = True,
) -> User:
    """新增工作人员账号。Team roles need a team of the same court.

    ``password_hash`` (an already hashed password, e.g. from an import) replaces ``password``.
    """
    if role not in Role.values or role in EXTERNAL_ROLES:
        raise ServiceError(f"未知的工作人员角色「{role}」", code="bad_role", field="role")
    if role in TEAM_ROLES and team is None:
        raise ServiceError(
            "法官、法官助理、书记员、执行员必须属于一个执行团队", code="team_required", field="team"
        )
    if team is not None and team.court_id != court.pk:
        raise ServiceError("团队必须属于该用户所在法院", code="team_other_court", field="team")
    if User.objects.filter(username=username).exists():
        raise Conflict(f"用户名「{username}」已存在", code="username_taken", field="username")
    user = User(username=username, full_name=full_name, court=court, team=team, role=role, is_staff=False)
    if password_hash:
        user.password = password_hash
    else:
        if check_password:
            try:
                validate_password(password, user)
            except ValidationError as e:
                raise ServiceError("；".join(e.messages), code="weak_password", field="password") from e
        user.set_password(password)
    user.is_staff = role == Role.ADMIN
    user.save()
    journal_append(
        stream=f"org:{court.court_code}",
        kind="staff.created",
        actor=actor,
        court=court,
        payload={"user_id": user.pk, "username": username, "role": role, "team": team.name if team else None},
    )
    return user


@transaction.atomic
def external_user_create(*, username: str, full_name: str, role: str, password: str, phone: str = "") -> User:
    """新增外部用户（当事人、律师、协助执行单位工作人员）：no court; they see only their own work."""
    if role not in EXTERNAL_ROLES:
        raise ServiceError(f"「{role}」不是外部用户角色", code="bad_role", field="role")
    if User.objects.filter(username=username).exists():
        raise Conflict(f"用户名「{username}」已存在", code="username_taken", field="username")
    user = User(username=username, full_name=full_name, role=role, phone=phone)
    try:
        validate_password(password, user)
    except ValidationError as e:
        raise ServiceError("；".join(e.messages), code="weak_password", field="password") from e
    user.set_password(password)
    user.save()
    journal_append(stream=f"user:{user.pk}", kind="account.created", actor=None, payload={"role": role})
    return user


# --- parties --------------------------------------------------------------------------------
PARTY_ID_TYPES = {
    Party.Kind.NATURAL_PERSON: identity.IdType.RESIDENT_ID,
    Party.Kind.LEGAL_PERSON: identity.IdType.USCC,
    Party.Kind.OTHER_ORGANISATION: identity.IdType.USCC,
}


def _party_stream(party: Party) -> str:
    return f"party:{party.pk}"


@transaction.atomic
def party_register(
    *,
    actor: User,
    kind: str,
    name: str,
    id_number: str,
    legal_representative: str = "",
    phone: str = "",
    address: str = "",
    court: Court | None = None,
) -> tuple[Party, bool]:
    """登记当事人。Returns (party, created); the same identity number finds the existing party."""
    if kind not in Party.Kind.values:
        raise ServiceError(f"未知的当事人类型「{kind}」", code="bad_kind", field="kind")
    name = name.strip()
    if not name:
        raise ServiceError("姓名/名称不能为空", code="name_required", field="name")
    id_type = PARTY_ID_TYPES[Party.Kind(kind)]
    try:
        ident = identity.validate(id_type, id_number)
    except identity.IdentityError as e:
        raise ServiceError(str(e), code=e.code, field="id_number") from e
    lookup = identity.lookup_hash(ident.id_type, ident.number)
    existing = Party.objects.filter(id_lookup=lookup).first()
    if existing is not None:
        return existing, False
    party = Party(
        kind=kind,
        name=name,
        id_type=ident.id_type,
        id_cipher=identity.encrypt(ident.number),
        id_lookup=lookup,
        id_masked=identity.mask(ident.number),
        birth_date=ident.birth_date,
        sex=ident.sex,
        legal_representative=legal_representative,
        phone=phone,
        address=address,
        registered_by_court=court or actor.court,
    )
    try:
        with transaction.atomic():
            party.save()
    except IntegrityError:
        return Party.objects.get(id_lookup=lookup), False
    journal_append(
        stream=_party_stream(party),
        kind="party.registered",
        actor=actor,
        court=court or actor.court,
        payload={
            "name": name,
            "kind": kind,
            "id_masked": party.id_masked,
            "converted_from_15_digits": ident.converted_from_legacy,
        },
    )
    return party, True


def party_find_by_identity(*, id_type: str, id_number: str) -> Party | None:
    """按证件号查找当事人（密文存储，按键控摘要查找）。"""
    try:
        ident = identity.validate(id_type, id_number)
    except identity.IdentityError as e:
        raise ServiceError(str(e), code=e.code, field="id_number") from e
    return Party.objects.filter(id_lookup=identity.lookup_hash(ident.id_type, ident.number)).first()


@transaction.atomic
def party_identity_reveal(*, actor: User, party: Party, purpose: str) -> str:
    """查看完整证件号：a journaled act that states its purpose."""
    purpose = purpose.strip()
    if len(purpose) < 2:
        raise ServiceError("查看完整证件号必须说明用途", code="purpose_required", field="purpose")
    if not scope_for(actor).allows_court(party.registered_by_court_id):
        raise NotFound()
    number = identity.decrypt(party.id_cipher)
    journal_append(
        stream=_party_stream(party),
        kind="identity.revealed",
        actor=actor,
        court=actor.court,
        payload={"purpose": purpose, "id_masked": party.id_masked},
    )
    return number


# --- approvals ------------------------------------------------------------------------------
ApprovalEffect = Callable[[ApprovalRequest], None]
_EFFECTS: dict[str, ApprovalEffect] = {}


def approval_effect(act: str) -> Callable[[ApprovalEffect], ApprovalEffect]:
    """Register what happens when an approval for ``act`` is granted (runs in the same transaction)."""

    def register(fn: ApprovalEffect) -> ApprovalEffect:
        _EFFECTS[act] = fn
        return fn

    return register


@transaction.atomic
def approval_request(
    *,
    actor: User,
    act: str,
    title: str,
    stream: str,
    approver_role: str,
    payload: dict[str, Any] | None = None,
    reason: str = "",
    court: Court | None = None,
) -> ApprovalRequest:
    """提请审批。"""
    court = court or actor.court
    if court is None or not scope_for(actor).allows_court(court.pk):
        raise PermissionDenied("只能在本院提请审批")
    if approver_role not in Role.values:
        raise ServiceError(f"未知的审批角色「{approver_role}」", code="bad_role", field="approver_role")
    req = ApprovalRequest.objects.create(
        court=court,
        act=act,
        title=title,
        stream=stream,
        approver_role=approver_role,
        payload=payload or {},
        requested_by=actor,
        request_reason=reason,
    )
    journal_append(
        stream=stream,
        kind="approval.requested",
        actor=actor,
        court=court,
        payload={
            "approval_id": req.pk,
            "act": act,
            "title": title,
            "approver_role": approver_role,
            "reason": reason,
        },
    )
    return req


@transaction.atomic
def approval_decide(*, actor: User, approval_id: int, approve: bool, reason: str = "") -> ApprovalRequest:
    """审批决定：only the approver role of the same court, never the requester."""
    req = ApprovalRequest.objects.select_for_update().filter(pk=approval_id).first()
    if req is None or not scope_for(actor).allows_court(req.court_id):
        raise NotFound()
    if actor.role != req.approver_role or actor.court_id != req.court_id:
        raise PermissionDenied(f"此事项须由本院{Role(req.approver_role).label}审批", code="wrong_approver")
    if actor.pk == req.requested_by_id:
        raise PermissionDenied("申请人不能审批自己的申请", code="self_approval")
    if req.status != ApprovalRequest.Status.PENDING:
        raise Conflict(f"该审批已处理（{req.get_status_display()}）", code="already_decided")
    if not approve and not reason.strip():
        raise ServiceError("不予批准必须说明理由", code="reason_required", field="reason")
    req.status = ApprovalRequest.Status.APPROVED if approve else ApprovalRequest.Status.REJECTED
    req.decided_by = actor
    req.decided_at = timezone.now()
    req.decision_reason = reason.strip()
    req.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    journal_append(
        stream=req.stream,
        kind="approval.approved" if approve else "approval.rejected",
        actor=actor,
        court=req.court,
        payload={"approval_id": req.pk, "act": req.act, "reason": req.decision_reason},
    )
    if approve and req.act in _EFFECTS:
        _EFFECTS[req.act](req)
    return req
