"""送达完成的监听者：other apps start deadlines from the deemed delivery date.

    from zhixing.documents.listeners import on_delivered

    @on_delivered("performance_notice")
    def start_performance_period(delivery: Delivery) -> None: ...

Listeners run inside the transaction that marks the delivery delivered, so what they write
commits or rolls back with it. ``"*"`` listens to every document kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zhixing.documents.models import Delivery

Listener = Callable[["Delivery"], Any]
_LISTENERS: dict[str, list[Listener]] = defaultdict(list)


def on_delivered(kind: str = "*") -> Callable[[Listener], Listener]:
    def register(fn: Listener) -> Listener:
        if fn not in _LISTENERS[kind]:
            _LISTENERS[kind].append(fn)
        return fn

    return register


def remove_listener(kind: str, fn: Listener) -> None:
    if fn in _LISTENERS.get(kind, []):
        _LISTENERS[kind].remove(fn)


def notify_delivered(delivery: Delivery) -> None:
    for fn in [*_LISTENERS.get(delivery.document.kind, ()), *_LISTENERS.get("*", ())]:
        fn(delivery)
