from django.urls import path

from zhixing.agencies import views

app_name = "agencies"
urlpatterns = [
    path("", views.agency_list, name="list"),
    path("desk/", views.desk, name="desk"),
    path("desk/<int:request_pk>/", views.desk_request, name="desk_request"),
    path("requests/<int:request_pk>/retry", views.request_retry, name="retry"),
    path("<str:code>/requests/", views.agency_requests, name="requests"),
]
