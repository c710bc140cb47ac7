from django.urls import path

from zhixing.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("applications/", views.application_queue, name="applications"),
    path("applications/<int:application_id>/", views.application_detail, name="application"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/<slug:action>/", views.case_action, name="action"),
]
