from django.urls import path

from zhixing.documents import views

app_name = "documents"

urlpatterns = [
    path("templates/", views.template_list, name="template_list"),
    path("templates/<str:kind>/", views.template_detail, name="template_detail"),
    path("<int:document_id>/", views.document_detail, name="document_detail"),
    path("<int:document_id>/pdf/", views.document_download, name="document_download"),
    path(
        "deliveries/<int:delivery_id>/<str:action>/",
        views.delivery_action,
        name="delivery_action",
    ),
    path("archive/<str:stream>/", views.archive, name="archive"),
    path("archive/<str:stream>/zip/", views.archive_download, name="archive_download"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:document_id>/pdf/", views.inbox_download, name="inbox_download"),
]
