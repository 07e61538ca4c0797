"""How long importing a large GIFT file takes, against the least any import must do (JSON last line).

Builds a file of N questions as Moodle writes them ([html] texts, Thai and English, every question
type), then times reading it (decode and parse), the whole import (``questions_import_gift``: checks,
HTML cleaning and the writes), and a floor: inserting the same questions and options with one
``bulk_create`` each, which no import can beat. Everything runs in a transaction that is rolled back,
so the database is left as it was.
"""

from __future__ import annotations

import json
import resource
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction

from profiles.factories import CompetencyAreaFactory, CompetencyFactory, CompetencyFrameworkFactory

from ...bank import questions_import_gift
from ...gift import MAX_BYTES, gift_parse, gift_read_upload
from ...records import Choice, Question, QuestionCategory


def _gift(count: int) -> str:
    kinds = [
        "::Q{n}::[html]<p>ข้อ {n}: เลือกคำตอบที่ <strong>ถูกต้อง</strong> (choose the right answer)</p> {{\n"
        "\t=<p>คำตอบที่ถูก {n}</p>#<p>ถูกต้อง</p>\n\t~<p>ตัวลวง ก</p>#<p>ไม่ใช่</p>\n\t~<p>ตัวลวง "
        "ข</p>\n\t~<p>ตัวลวง ค</p>\n"
        "\t####<p>คำอธิบายทั่วไปของข้อ {n}</p>\n}}",
        "::Q{n}::[html]<p>ข้อ {n}: ข้อใดทำให้รหัสผ่านปลอดภัย</p> {{\n\t~%50%<p>ยาว 12 ตัวขึ้นไป</p>\n"
        "\t~%50%<p>ไม่ซ้ำกับบริการอื่น</p>\n\t~%-100%<p>วันเกิด</p>#<p>เดาง่าย</p>\n}}",
        "::Q{n}::[html]<p>ข้อ {n}: กด Win+L เพื่อล็อกหน้าจอ</p>{{TRUE#<p>ลองใหม่</p>#<p>ถูกต้อง</p>}}",
        "::Q{n}::[html]<p>ข้อ {n}: 3-2-1 เก็บสำเนากี่ชุด</p>{{#\n\t=%100%3:0#<p>ถูก</p>\n\t~#<p>นับต้นฉบับด้วย</p>\n}}",
        "::Q{n}::[html]<p>ข้อ {n}: อะไรกรองการรับส่งข้อมูลในเครือข่าย</p>{{\n\t=%100%firewall#<p>ถูก</p>\n"
        "\t=%0%*#<p>ขึ้นต้นด้วย fire</p>\n}}",
    ]
    body = [kinds[n % len(kinds)].format(n=n) for n in range(count)]
    return (
        "$CATEGORY: $course$/top/Benchmark\n\n// [tag:competency=BENCH/B1]\n"
        + "\n\n// [tag:competency=BENCH/B1]\n".join(body)
        + "\n"
    )


class Command(BaseCommand):
    help = "Time the import of a large GIFT file against a one-insert-per-table floor; prints JSON last."

    def add_arguments(self, parser):
        parser.add_argument("--questions", type=int, default=5000)

    def handle(self, *args, questions, **options):
        text = _gift(questions)
        data = text.encode("utf-8")
        figures = {"questions": questions, "bytes": len(data), "limit_bytes": MAX_BYTES}
        start = time.perf_counter()
        parsed = gift_parse(gift_read_upload(data)[0])
        figures["parse_s"] = round(time.perf_counter() - start, 3)
        assert len(parsed.questions) == questions and not parsed.skipped
        with transaction.atomic():
            framework = CompetencyFrameworkFactory(code="BENCH", name_en="Benchmark")
            CompetencyFactory(area=CompetencyAreaFactory(framework=framework, code="B"), code="B1")
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            start = time.perf_counter()
            result = questions_import_gift(data=data)
            figures["import_s"] = round(time.perf_counter() - start, 3)
            # The process's high-water mark (KiB on Linux): how much the import raised it.
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            figures["import_peak_rss_growth_mib"] = round((rss_after - rss_before) / 1024, 1)
            figures["peak_rss_mib"] = round(rss_after / 1024, 1)
            assert len(result.created) == questions
            competency = result.created[0].competency
            start = time.perf_counter()
            category = QuestionCategory.objects.create(name="Benchmark floor")
            rows = Question.objects.bulk_create(
                [
                    Question(
                        category=category,
                        competency=competency,
                        kind=item.kind,
                        name=item.name,
                        text_format=item.text_format,
                        text_th=item.text_th,
                        text_en=item.text_en,
                        general_feedback_th=item.general_feedback_th,
                    )
                    for item in parsed.questions
                ]
            )
            Choice.objects.bulk_create(
                [
                    Choice(
                        question=row,
                        sort_order=order,
                        text_th=c.text_th,
                        weight=c.weight,
                        number=c.number,
                        tolerance=c.tolerance or Decimal(0),
                        feedback_th=c.feedback_th,
                    )
                    for row, item in zip(rows, parsed.questions, strict=True)
                    for order, c in enumerate(item.choices)
                ],
                batch_size=2000,
            )
            figures["floor_s"] = round(time.perf_counter() - start, 3)
            transaction.set_rollback(True)
        figures["import_over_floor"] = (
            round(figures["import_s"] / figures["floor_s"], 1) if figures["floor_s"] else None
        )
        self.stdout.write(
            f"{questions:,} questions, {len(data) / 2**20:.1f} MB (limit {MAX_BYTES / 2**20:.0f} MB): parse "
            f"{figures['parse_s']} s, import {figures['import_s']} s (peak RSS {figures['peak_rss_mib']} "
            f"MiB), "
            f"floor {figures['floor_s']} s"
        )
        self.stdout.write(json.dumps(figures))
