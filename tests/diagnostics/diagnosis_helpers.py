"""Helpers of the diagnosis-report tests: the contract's answers and scenes, dates, a signed PDF, complete
report content (their ``world`` is in tests/diagnostics/conftest.py)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

#: The contract's example answers (docs/api.md "Score request and result"): every item answered.
FULL_ANSWERS = {
    "network": [1, 2],
    "equipment_digitised_rate": 35.0,
    "equipment_networked_rate": 12.5,
    "data_collection": [1, 2, 14],
    "information_systems": 2,
    "network_security": [1, 2, 3, 4],
    "data_security": [],
    "planning": 3,
    "mechanisms": [1],
    "talent": [1, 2],
    "funding_ratio": 5.0,
    "energy": "better",
    "quality": "same",
    "revenue_per_employee": "worse",
    "cost_ratio": "better",
}
SCENE_CODES = [
    "product_design",
    "process_design",
    "marketing",
    "after_sales",
    "planning_scheduling",
    "production_control",
    "quality_management",
    "equipment_management",
    "safety",
    "energy_management",
    "procurement",
    "warehousing_logistics",
    "finance",
    "human_resources",
    "collaboration",
    "decision_support",
]
#: Every scene judged; two at level 2 and one at 3, the rest 0 (the contract example's level: 0).
ALL_SCENES = dict.fromkeys(SCENE_CODES, 0) | {"product_design": 2, "marketing": 3}

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def pdf_upload(name="signed.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def complete_content():
    """Content that satisfies every checklist item except the signed PDF."""
    return {
        "answers": FULL_ANSWERS,
        "scenes": ALL_SCENES,
        "summary": "设备联网率低，数据采集不足。",
        "pain_points": {"production_control": "排产靠人工，插单频繁。", "after_sales": "售后记录分散。"},
        "target_level": 2,
        "target_scenes": ["after_sales", "production_control"],
        "proposed_work": "部署MES，打通设备数据采集。",
        "proposed_cost": "500000.00",
        "software_cost": "300000.00",
        "diagnosed_on": days(-3),
    }
