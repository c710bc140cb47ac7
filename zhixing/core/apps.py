from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhixing.core"
    label = "core"
    verbose_name = "共享内核"

    def ready(self) -> None:
        from zhixing.core import checks  # noqa: F401  (registers the deployment checks)
