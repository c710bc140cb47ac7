"""执行款 API：the banks' transfer notices (signed), mounted at /api/v1/funds."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from zhixing.funds.services import bank_notice_receive, notice_post

router = Router(tags=["funds"])


class NoticeOut(Schema):
    id: int
    status: str
    posting_id: int | None


@router.post("/bank-notices/{bank_code}", auth=None, response={200: NoticeOut})
def bank_notice(request: HttpRequest, bank_code: str) -> Any:
    """银行到账通知：body is the bank's JSON; header ``X-Zhixing-Signature`` = HMAC-SHA256(key, body) in hex.

    A bad signature is refused (401) and changes nothing. The notice is stored first, then posted in its own
    transaction; the same notice twice posts once.
    """
    notice = bank_notice_receive(
        bank_code=bank_code, body=request.body, signature=request.headers.get("X-Zhixing-Signature", "")
    )
    if notice.status == "received":
        notice = notice_post(notice_id=notice.pk)
    return {"id": notice.pk, "status": notice.status, "posting_id": notice.posting_id}
