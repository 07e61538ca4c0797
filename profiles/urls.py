from django.urls import path

from . import personal_data_views, report_views, views

app_name = "profiles"

urlpatterns = [
    path("", views.my_profile, name="my_profile"),
    path("skills/", report_views.my_skills_page, name="my_skills"),
    path("skills/chart/<slug:kind>.png", report_views.my_skills_chart, name="my_skills_chart"),
    path("team/", report_views.my_team_page, name="my_team"),
    path("team/chart.png", report_views.my_team_chart, name="my_team_chart"),
    path("data/", personal_data_views.my_data, name="my_data"),
    path("data/download.<slug:file_format>", personal_data_views.my_data_download, name="my_data_download"),
]
