"""The completion certificate as a PDF: Thai name, course, B.E. date, code, verification link and QR."""

from __future__ import annotations

import io

import qrcode
from fpdf import FPDF

from skills_site.fonts import THAI_FONT_BOLD, THAI_FONT_FAMILY, THAI_FONT_REGULAR
from skills_site.thai_calendar import format_be_date

from .records import Enrolment

BRAND = (31, 78, 121)
INK = (29, 39, 51)
MUTED = (91, 103, 117)


def _qr_png(url: str) -> io.BytesIO:
    image = qrcode.make(url, box_size=8, border=1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def certificate_pdf(*, enrolment: Enrolment, verify_url: str, organisation: str = "") -> bytes:
    """One A4 landscape page, in Thai with the English course facts kept short."""
    employee = enrolment.employee
    course = enrolment.course
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(f"ประกาศนียบัตร {course.title}")
    pdf.set_author(organisation or "Digital Skills Tracker")
    pdf.add_font(THAI_FONT_FAMILY, "", str(THAI_FONT_REGULAR))
    pdf.add_font(THAI_FONT_FAMILY, "B", str(THAI_FONT_BOLD))
    pdf.set_text_shaping(True)
    pdf.set_auto_page_break(False)
    pdf.add_page()

    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_line_width(0.3)
    pdf.rect(14, 14, 269, 182)

    width = 257
    pdf.set_text_color(*BRAND)
    pdf.set_xy(20, 28)
    pdf.set_font(THAI_FONT_FAMILY, "B", 34)
    pdf.cell(width, 16, "ประกาศนียบัตร", align="C")
    pdf.set_xy(20, 44)
    pdf.set_font(THAI_FONT_FAMILY, "", 14)
    pdf.set_text_color(*MUTED)
    pdf.cell(width, 8, "Certificate of completion", align="C")

    pdf.set_text_color(*INK)
    pdf.set_xy(20, 62)
    pdf.set_font(THAI_FONT_FAMILY, "", 18)
    pdf.cell(width, 10, "ขอมอบให้ไว้เพื่อแสดงว่า", align="C")
    pdf.set_xy(20, 75)
    pdf.set_font(THAI_FONT_FAMILY, "B", 30)
    pdf.cell(width, 16, employee.full_name_th, align="C")
    if employee.full_name_en:
        pdf.set_xy(20, 91)
        pdf.set_font(THAI_FONT_FAMILY, "", 14)
        pdf.set_text_color(*MUTED)
        pdf.cell(width, 8, employee.full_name_en, align="C")
        pdf.set_text_color(*INK)
    pdf.set_xy(20, 103)
    pdf.set_font(THAI_FONT_FAMILY, "", 18)
    pdf.cell(width, 10, "ได้ผ่านการเรียนรู้หลักสูตร", align="C")
    pdf.set_xy(30, 115)
    pdf.set_font(THAI_FONT_FAMILY, "B", 22)
    pdf.multi_cell(width - 20, 11, course.title, align="C")
    pdf.set_x(20)
    pdf.set_font(THAI_FONT_FAMILY, "", 16)
    pdf.cell(width, 10, f"เมื่อวันที่ {format_be_date(enrolment.completed_at, 'th', long=True)}", align="C")

    pdf.image(_qr_png(verify_url), x=24, y=150, w=36, h=36)
    pdf.set_text_color(*MUTED)
    pdf.set_font(THAI_FONT_FAMILY, "", 12)
    pdf.set_xy(64, 158)
    pdf.cell(160, 7, f"รหัสประกาศนียบัตร / Certificate code: {enrolment.certificate_code}")
    pdf.set_xy(64, 166)
    pdf.cell(160, 7, "ตรวจสอบความถูกต้องได้ที่ / Verify at:")
    pdf.set_xy(64, 173)
    pdf.set_text_color(*BRAND)
    pdf.cell(200, 7, verify_url, link=verify_url)
    if organisation:
        pdf.set_text_color(*MUTED)
        pdf.set_xy(20, 186)
        pdf.cell(width, 7, organisation, align="R")
    return bytes(pdf.output())
