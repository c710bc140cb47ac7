from django.urls import path

from zhixing.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("new", views.item_create, name="create"),
    path("<int:item_id>/", views.item_detail, name="detail"),
    path("<int:item_id>/edit", views.item_edit, name="edit"),
    path("<int:item_id>/publish", views.item_publish, name="publish"),
    path("<int:item_id>/withdraw", views.item_withdraw, name="withdraw"),
    path("cases/<int:case_id>/panel", views.case_panel, name="panel"),
    path("cases/<int:case_id>/link", views.case_link, name="link"),
    path("cases/<int:case_id>/items/<int:item_id>/unlink", views.case_unlink, name="unlink"),
]
