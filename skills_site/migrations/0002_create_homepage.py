from django.db import migrations

INTRO = (
    "<p>ติดตามทักษะดิจิทัลของบุคลากร: ระดับสมรรถนะปัจจุบันเทียบกับเป้าหมายของตำแหน่ง "
    "พร้อมหลักฐานที่มาของแต่ละระดับ</p>"
)


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("skills_site.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    # Replace the placeholder page that wagtailcore's initial data creates.
    page_content_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_content_type, slug="home", depth=2).delete()

    homepage_content_type, __ = ContentType.objects.get_or_create(
        model="homepage", app_label="skills_site"
    )
    homepage = HomePage.objects.create(
        title="ระบบติดตามทักษะดิจิทัล",
        draft_title="ระบบติดตามทักษะดิจิทัล",
        slug="home",
        intro=INTRO,
        content_type=homepage_content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        live=True,
        locale=Locale.objects.order_by("id").first(),
    )
    Site.objects.create(
        hostname="localhost",
        port=80,
        site_name="Digital Skills Tracker",
        root_page=homepage,
        is_default_site=True,
    )


def remove_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    HomePage = apps.get_model("skills_site.HomePage")
    HomePage.objects.filter(slug="home", depth=2).delete()
    ContentType.objects.filter(model="homepage", app_label="skills_site").delete()


class Migration(migrations.Migration):
    dependencies = [("skills_site", "0001_initial")]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
