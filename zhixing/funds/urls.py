from django.urls import path

from zhixing.funds import views

app_name = "funds"
urlpatterns = [path("unidentified/", views.unidentified, name="unidentified")]
