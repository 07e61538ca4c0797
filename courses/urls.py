from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.my_learning_view, name="my_learning"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("courses/<int:course_id>/assign/", views.assign, name="assign"),
    path(
        "courses/<int:course_id>/lessons/<str:lesson_id>/complete/",
        views.complete_lesson,
        name="complete_lesson",
    ),
    path("certificates/<int:enrolment_id>/", views.certificate_download, name="certificate"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
]
