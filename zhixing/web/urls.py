from django.urls import path

from zhixing.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("courts/", views.court_list, name="court_list"),
    path("courts/<str:court_code>/", views.court_detail, name="court_detail"),
    path("parties/", views.party_list, name="party_list"),
    path("parties/<int:party_id>/", views.party_detail, name="party_detail"),
    path("parties/<int:party_id>/reveal/", views.party_reveal, name="party_reveal"),
    path("approvals/", views.approval_list, name="approval_list"),
    path("approvals/<int:approval_id>/decide/", views.approval_decide, name="approval_decide"),
    path("account/", views.account, name="account"),
    path("healthz", views.healthz, name="healthz"),
]
