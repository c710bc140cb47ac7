from django.urls import path

from zhixing.measures import views

app_name = "measures"
urlpatterns = [
    path("cases/<int:case_id>/panel", views.panel, name="panel"),
    path("cases/<int:case_id>/review", views.review, name="review"),
    path("cases/<int:case_id>/proposals/<int:proposal_id>/decide", views.decide, name="decide"),
    path("cases/<int:case_id>/sanctions", views.sanction, name="sanction"),
    path("cases/<int:case_id>/measures/<int:measure_id>/withhold", views.withhold, name="withhold"),
    path(
        "cases/<int:case_id>/measures/<int:measure_id>/corrections",
        views.correction_apply,
        name="correction_apply",
    ),
    path(
        "cases/<int:case_id>/corrections/<int:correction_id>/decide",
        views.correction_decide,
        name="correction_decide",
    ),
]
