from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:page_id>/start/", views.start, name="start"),
    path("attempt/<int:attempt_id>/", views.attempt_take, name="attempt"),
    path("attempt/<int:attempt_id>/save/", views.attempt_autosave, name="autosave"),
    path("attempt/<int:attempt_id>/submit/", views.attempt_finish, name="submit"),
    path("attempt/<int:attempt_id>/result/", views.attempt_result, name="result"),
    path("self/<int:page_id>/submit/", views.self_assessment_send, name="self_submit"),
    path("team/", views.team_reviews, name="team_reviews"),
    path("team/<int:submission_id>/", views.review, name="review"),
    path("<int:page_id>/statistics/", views.statistics, name="statistics"),
    path("<int:page_id>/statistics/scores.png", views.statistics_chart, name="statistics_chart"),
]
