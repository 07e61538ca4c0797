import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from profiles.models import (
    Competency,
    CompetencyArea,
    CompetencyFramework,
    PersonnelGroup,
    ProficiencyLevel,
    RoleTarget,
)


def load(*args):
    out = StringIO()
    call_command("load_frameworks", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "frameworks": list(CompetencyFramework.objects.values_list("code", "version", "name_en")),
        "levels": list(
            ProficiencyLevel.objects.values_list("framework__code", "level", "name_th", "name_en")
        ),
        "areas": list(CompetencyArea.objects.values_list("framework__code", "code", "name_th")),
        "competencies": list(Competency.objects.values_list("framework__code", "code", "name_en")),
        "groups": list(PersonnelGroup.objects.values_list("code", "name_th")),
        "targets": list(RoleTarget.objects.values_list("personnel_group__code", "area__code", "level")),
    }


@pytest.mark.django_db
def test_loads_the_published_frameworks():
    load()
    ocsc = CompetencyFramework.objects.get(code="OCSC-2561")
    digcomp = CompetencyFramework.objects.get(code="DigComp-2.2")
    assert ocsc.areas.count() == 6 and ocsc.levels.count() == 5
    assert digcomp.areas.count() == 5 and digcomp.competencies.count() == 21 and digcomp.levels.count() == 8
    assert PersonnelGroup.objects.count() == 6
    assert RoleTarget.objects.filter(framework=ocsc).count() == 36
    assert ocsc.areas.get(code="DLit").name_th == "ด้านความเข้าใจและใช้เทคโนโลยีดิจิทัล"
    assert RoleTarget.objects.get(personnel_group__code="Technology", area__code="DT").level == 5


@pytest.mark.django_db
def test_running_twice_changes_nothing():
    load()
    before = snapshot()
    output = load()
    assert snapshot() == before
    assert " 0 created, 0 updated" in output


@pytest.mark.django_db
def test_reload_keeps_role_targets_that_hr_edited():
    load()
    RoleTarget.objects.filter(personnel_group__code="Service", area__code="DLit").update(level=5)
    load()
    assert RoleTarget.objects.get(personnel_group__code="Service", area__code="DLit").level == 5


@pytest.mark.django_db
def test_duplicate_code_is_refused_with_one_line_and_nothing_loaded(tmp_path, settings):
    data = json.loads((settings.BASE_DIR / "fixtures/frameworks/digcomp-2.2.json").read_text())
    data["areas"][1]["competencies"][0]["code"] = "1.1"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    good = settings.BASE_DIR / "fixtures/frameworks/ocsc-2561.json"
    with pytest.raises(CommandError) as error:
        load(str(good), str(broken))
    assert "duplicate competency code '1.1'" in str(error.value)
    assert "\n" not in str(error.value)
    assert not CompetencyFramework.objects.exists()


@pytest.mark.django_db
def test_malformed_json_is_refused(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        load(str(broken))
    assert not CompetencyFramework.objects.exists()


@pytest.mark.django_db
def test_digcomp_names_in_thai_are_marked_as_the_departments_translation(client, django_user_model):
    from django.urls import reverse

    from profiles.factories import EmployeeFactory, LevelEvidenceFactory

    load()
    digcomp = CompetencyFramework.objects.get(code="DigComp-2.2")
    ocsc = CompetencyFramework.objects.get(code="OCSC-2561")
    assert digcomp.thai_names_by_department and not ocsc.thai_names_by_department
    netiquette = digcomp.competencies.get(code="2.5")
    assert netiquette.name_en == "Netiquette" and netiquette.name_th == "มารยาทในการสื่อสารบนเครือข่าย"
    assert not digcomp.competencies.filter(name_th="").exists()
    assert not digcomp.levels.filter(name_th="").exists()

    person = EmployeeFactory()
    LevelEvidenceFactory(employee=person, competency=netiquette, level=3)
    client.force_login(person.user)
    for page in ("profiles:my_skills", "profiles:my_profile"):
        client.cookies["skills_language"] = "th"
        thai = client.get(reverse(page)).content.decode()
        assert "มารยาทในการสื่อสารบนเครือข่าย" in thai
        assert '<small class="muted" lang="en">Netiquette</small>' in thai
        assert "ไม่มีฉบับแปลภาษาไทยอย่างเป็นทางการ" in thai and "เป็นคำแปลของกรม" in thai
        client.cookies["skills_language"] = "en"
        english = client.get(reverse(page)).content.decode()
        assert "Netiquette" in english and "translation-note" not in english and "มารยาท" not in english
