from django.urls import path

from .competencies import views as competency_views
from .hr_data import views as hr_data_views
from .prior_learning import views as claims
from .reports import views as report_views
from .training import views as training_views

app_name = "profiles"

urlpatterns = [
    path("", competency_views.my_profile, name="my_profile"),
    path("skills/", report_views.my_skills_page, name="my_skills"),
    path("skills/chart/<slug:kind>.png", report_views.my_skills_chart, name="my_skills_chart"),
    path("team/", report_views.my_team_page, name="my_team"),
    path("team/chart.png", report_views.my_team_chart, name="my_team_chart"),
    path("prior-learning/", claims.my_claims, name="prior_learning"),
    path("prior-learning/new/", claims.claim_new, name="prior_learning_new"),
    path("prior-learning/<int:pk>/", claims.claim_detail, name="prior_learning_detail"),
    path("prior-learning/<int:pk>/review/", claims.claim_review_view, name="prior_learning_review"),
    path("prior-learning/<int:pk>/file/", claims.claim_file, name="prior_learning_file"),
    path("team/prior-learning/", claims.reviews, name="prior_learning_reviews"),
    path("team/training/", training_views.team_training_page, name="my_team_training"),
    path("data/", hr_data_views.my_data, name="my_data"),
    path("data/download.<slug:file_format>", hr_data_views.my_data_download, name="my_data_download"),
]
