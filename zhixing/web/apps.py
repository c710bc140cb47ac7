from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zhixing.web"
    label = "web"
    verbose_name = "界面"
