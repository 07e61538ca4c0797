"""Issue 18, reports: share axes stop at 100 %, level axes show whole levels, long labels fit, the
plan's years once."""

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from profiles.reports import charts
from profiles.reports.models import CapabilityPlan


def test_plan_overview_share_axis_stops_at_100():
    headline = pd.DataFrame(
        {
            "target": ["A", "B"],
            "actual_pct": [95.0, 40.0],
            "target_pct": [80.0, 60.0],
            "status": ["met", "off_track"],
        }
    )
    axes = charts.plan_overview_figure(headline, title="plan").axes[0]
    assert axes.get_xlim() == (0.0, 100.0)
    assert min(text.get_fontsize() for text in axes.texts) >= charts.LABEL_SIZE


def test_readiness_and_trend_share_axes_stop_at_100():
    readiness = pd.DataFrame({"label": ["a", "b"], "ready_pct": [100.0, 30.0]})
    assert charts.readiness_figure(readiness, title="t").axes[0].get_xlim() == (0.0, 100.0)


def test_my_levels_axis_ticks_are_whole_levels():
    rows = pd.DataFrame({"label": ["a", "b"], "level": [1.0, 3.0], "target": [2.0, 3.0]})
    figure = charts.skills_against_targets_figure(rows, title="t")
    figure.canvas.draw()
    ticks = figure.axes[0].get_xticks()
    assert len(ticks) > 1 and all(float(tick).is_integer() for tick in ticks)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("แผนพัฒนา พ.ศ. 2566–2570 (ตัวอย่าง)", "แผนพัฒนา พ.ศ. 2566–2570 (ตัวอย่าง)"),
        ("แผนพัฒนา", "แผนพัฒนา (2566–2570)"),
    ],
)
def test_plan_label_carries_its_years_once(name, expected):
    plan = CapabilityPlan(name_th=name, first_fiscal_year=2566, last_fiscal_year=2570)
    assert str(plan) == expected
    assert str(plan).count("2566") == 1


def test_long_thai_labels_title_and_legend_stay_inside_the_chart():
    rows = pd.DataFrame(
        {
            "label": [
                "DG ด้านการควบคุมกำกับ และการปฏิบัติตามกฎหมาย นโยบายและมาตรฐาน",
                "SPM ด้านการบริหารกลยุทธ์และการจัดการโครงการ",
            ],
            "level": [3.0, None],
            "target": [3.0, 2.0],
        }
    )
    figure = charts.skills_against_targets_figure(rows, title="ระดับของฉันเทียบกับเป้าหมายตามตำแหน่งของข้าราชการ")
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    inside = figure.bbox
    pieces = [figure._suptitle, *figure.legends, *figure.axes[0].get_yticklabels()]
    for piece in pieces:
        box = piece.get_window_extent(renderer)
        assert box.x0 >= inside.x0 - 1 and box.x1 <= inside.x1 + 1, piece
        assert box.y0 >= inside.y0 - 1 and box.y1 <= inside.y1 + 1, piece
    assert "\n" in figure.axes[0].get_yticklabels()[-1].get_text()  # the long name is on two lines


def test_a_phone_gets_the_narrow_drawing_with_its_labels_inside():
    rows = pd.DataFrame(
        {
            "label": [
                "DS ด้านการออกแบบกระบวนการและการให้บริการด้วยระบบดิจิทัลเพื่อการพัฒนาคุณภาพงานภาครัฐ",
                "SPM ด้านการบริหารกลยุทธ์และการจัดการโครงการ",
            ],
            "level": [3.0, 1.0],
            "target": [3.0, 2.0],
        }
    )
    wide = charts.skills_against_targets_figure(rows, title="ระดับของฉันเทียบกับเป้าหมายตามตำแหน่ง")
    with charts.for_phone():
        narrow = charts.skills_against_targets_figure(rows, title="ระดับของฉันเทียบกับเป้าหมายตามตำแหน่ง")
    assert narrow.get_figwidth() == charts.PHONE_WIDTH < wide.get_figwidth()
    canvas = FigureCanvasAgg(narrow)
    canvas.draw()
    renderer = canvas.get_renderer()
    for piece in [narrow._suptitle, *narrow.legends, *narrow.axes[0].get_yticklabels()]:
        box = piece.get_window_extent(renderer)
        assert box.x0 >= narrow.bbox.x0 - 1 and box.x1 <= narrow.bbox.x1 + 1, piece
    assert min(label.get_fontsize() for label in narrow.axes[0].get_yticklabels()) >= charts.LABEL_SIZE
    # the unbroken Thai run is cut with an ellipsis rather than pushing the plot off the screen
    assert narrow.axes[0].get_yticklabels()[-1].get_text().endswith("…")
    # the axes keep at least a third of the phone's width
    assert narrow.axes[0].get_window_extent(renderer).width >= narrow.bbox.width / 3


@pytest.mark.django_db
def test_my_skills_page_offers_phones_the_narrow_chart(client, alice):
    import io

    from django.urls import reverse
    from PIL import Image

    client.force_login(alice.user)
    html = client.get(reverse("profiles:my_skills")).content.decode()
    url = reverse("profiles:my_skills_chart", args=["levels"])
    assert f'<source media="(max-width: 600px)" srcset="{url}?size=phone">' in html
    sizes = {}
    for query in ("", "?size=phone"):
        response = client.get(url + query)
        assert response.status_code == 200
        sizes[query] = Image.open(io.BytesIO(response.content)).size[0]
    assert sizes["?size=phone"] == round(charts.PHONE_WIDTH * 110) < sizes[""]
