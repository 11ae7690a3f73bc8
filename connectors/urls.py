"""URLs of the connectors app; each area's views module lists its own patterns."""

from django.urls import include, path

app_name = "connectors"

urlpatterns = [
    path("", include("connectors.views.drafts")),
    path("", include("connectors.views.teams")),
    path("", include("connectors.views.invitations")),
    path("", include("connectors.views.wizard")),
    path("", include("connectors.views.wizard_test")),
    path("", include("connectors.views.reports")),
    path("", include("connectors.views.report_samples")),
    # Machine endpoints: no login, no CSRF (APIs call them, not browsers).
    path("", include("connectors.views.hooks")),
    path("", include("connectors.views.simulator")),
]
