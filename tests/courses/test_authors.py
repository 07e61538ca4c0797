"""The course authors' group: on a fresh database, and limited to the course tree."""

import pytest
from django.contrib.auth.models import Group

from courses.roles import COURSE_AUTHORS_GROUP, course_authors_ensure
from profiles.factories import UserFactory


@pytest.mark.django_db
def test_group_exists_after_migrate():
    group = Group.objects.get(name=COURSE_AUTHORS_GROUP)
    assert group.permissions.filter(codename="access_admin").exists()


@pytest.fixture
def author(db):
    user = UserFactory(username="anna", email="anna@example.go.th")
    user.groups.add(Group.objects.get(name=COURSE_AUTHORS_GROUP))
    return user


@pytest.mark.django_db
def test_author_edits_courses_and_nothing_else(client, author, catalogue, excel_course):
    course_authors_ensure()  # the catalogue was made outside the admin, so grant it now
    client.force_login(author)
    assert client.get(f"/admin/pages/{excel_course.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/add/courses/coursepage/{catalogue.pk}/").status_code == 200
    home = catalogue.get_parent()
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code in (302, 403)
    assert client.get(f"/admin/pages/add/courses/coursecataloguepage/{home.pk}/").status_code in (302, 403)


@pytest.mark.django_db
def test_catalogue_created_in_the_admin_is_given_to_authors(client, admin_user, author):
    from courses.factories import home_page
    from courses.models import CourseCataloguePage

    client.force_login(admin_user)
    home = home_page()
    response = client.post(
        f"/admin/pages/add/courses/coursecataloguepage/{home.pk}/",
        {"title": "หลักสูตรใหม่", "slug": "new-courses"},
    )
    assert response.status_code == 302, response.content[:2000]
    catalogue = CourseCataloguePage.objects.get(slug="new-courses")
    client.force_login(author)
    assert client.get(f"/admin/pages/add/courses/coursepage/{catalogue.pk}/").status_code == 200


@pytest.mark.django_db
def test_hr_can_look_up_enrolments_but_not_change_them(client_for, hana, alice, excel_course):
    from courses.models import Enrolment

    Enrolment.objects.create(employee=alice, course=excel_course)
    client = client_for(hana)
    response = client.get("/admin/enrolments/")
    assert response.status_code == 200 and "อลิส" in response.content.decode()
    assert client.get("/admin/enrolments/new/").status_code in (302, 403)
