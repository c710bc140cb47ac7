from django.urls import path

from zhixing.asset_control import views

app_name = "asset_control"
urlpatterns = [
    path("cases/<int:case_id>/panel", views.panel, name="panel"),
    path("cases/<int:case_id>/inquire", views.inquire, name="inquire"),
    path("cases/<int:case_id>/assets/<int:asset_id>/control", views.control, name="control"),
    path("cases/<int:case_id>/measures/<int:measure_id>/renew", views.renew, name="renew"),
    path("cases/<int:case_id>/measures/<int:measure_id>/release", views.release, name="release"),
    path("cases/<int:case_id>/measures/<int:measure_id>/deduct", views.deduct, name="deduct"),
    path("assets/<int:asset_id>/", views.asset_detail, name="asset"),
    path("batches/", views.batches, name="batches"),
    path("batches/<int:batch_id>/", views.batch, name="batch"),
    path("batches/<int:batch_id>/progress", views.batch_progress, name="batch_progress"),
]
