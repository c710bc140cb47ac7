from django import template

from zhixing.core.journal import event_label as _event_label

register = template.Library()


@register.filter
def event_label(kind: str) -> str:
    """日志事件类型的中文名称：{{ event.kind|event_label }}"""
    return _event_label(kind)
