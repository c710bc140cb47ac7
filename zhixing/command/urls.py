from django.urls import path

from zhixing.command import views

app_name = "command"
urlpatterns = [
    path("", views.home, name="home"),
    path("courts/<str:code>/", views.court, name="court"),
    path("courts/<str:code>/report/<str:month>.pdf", views.monthly_report, name="monthly_report"),
    path("teams/<int:team_id>/", views.team, name="team"),
    path("judges/<int:judge_id>/", views.judge, name="judge"),
    path("screen/", views.screen, name="screen"),
    path("screen/data.json", views.screen_data, name="screen_data"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/<str:act>", views.alert_act, name="alert_act"),
    path("instructions/", views.instructions, name="instructions"),
    path("instructions/new/", views.instruction_new, name="instruction_new"),
    path("instructions/<int:instruction_id>/", views.instruction, name="instruction"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("figures/", views.figures, name="figures"),
]
