"""Content editors keep pages only: the question bank's rights leave the Editors group once.

They go to the Course authors group instead (assessments/roles.py, after every migrate). An
editor who authors assessments is added to Course authors.
"""

from django.db import migrations

BANK_MODELS = ["question", "questioncategory"]


def bank_leaves_editors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is None:
        return
    editors.permissions.remove(
        *Permission.objects.filter(content_type__app_label="assessments", content_type__model__in=BANK_MODELS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_self_assessment_on_my_own_level_3"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(bank_leaves_editors, migrations.RunPython.noop)]
