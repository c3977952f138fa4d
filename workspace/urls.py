from django.contrib.auth import views as auth_views
from django.urls import path

from workspace.accounts import views as accounts
from workspace.dashboard import views as dashboard
from workspace.decisions import views as decisions
from workspace.identities import views as identities
from workspace.lists import files, views

urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", auth_views.LoginView.as_view(redirect_authenticated_user=True),
         name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("listes/<str:worklist>/", views.worklist, name="worklist"),
    path("listes/<str:worklist>/<str:key>/", views.flag_page, name="flag"),
    path("listes/<str:worklist>/<str:key>/decisions/", decisions.decide, name="decide"),
    path("listes/<str:worklist>/<str:key>/attribution/", decisions.assign, name="assign"),
    path("listes/<str:worklist>/<str:key>/attribution/retrait/", decisions.unassign,
         name="unassign"),
    path("examens/", decisions.examinations, name="examinations"),
    path("examens/<int:event_id>/cloture/", decisions.close_examination,
         name="close_examination"),
    path("identites/", identities.queue, name="identity_queue"),
    path("identites/<str:pair_id>/", identities.pair_page, name="identity_pair"),
    path("identites/<str:pair_id>/decision/", identities.decide, name="identity_decide"),
    path("recherche/", views.search, name="search"),
    path("tableau-de-bord/", dashboard.dashboard, name="dashboard"),
    path("indicateurs/", views.indicators, name="indicators"),
    path("exclusions/", views.exclusions, name="exclusions"),
    path("exports/", files.exports_page, name="exports"),
    path("exports/<str:department>/<str:name>", files.download, name="download"),
    path("journal/", accounts.views_log, name="views_log"),
]
