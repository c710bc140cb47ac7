from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    from zhixing.web.nav import menu_for

    return {"nav_items": menu_for(request)}
