"""Demo content of the portal room: questions for Muscat Municipality's report services, an
Open311 API key and a registered app installation (their keys are printed once per seed)."""

from __future__ import annotations

from django.db import transaction

from tawasul.directory.models import Service
from tawasul.portal.models import AppInstallation, Open311Client, ServiceAttribute
from tawasul.portal.services import new_token, secret_hash

DEMO_CLIENT = "Demo Open311 client (Baladiyati)"
DEMO_PLATFORM = "demo"

_YES_NO = [
    {"key": "yes", "name_en": "Yes", "name_ar": "نعم"},
    {"key": "no", "name_en": "No", "name_ar": "لا"},
]

ATTRIBUTES: dict[str, list[dict]] = {
    "muscat-road-lighting-report": [
        {"code": "PROBLEM", "datatype": "singlevaluelist", "required": True,
         "description_en": "What is the problem?", "description_ar": "ما المشكلة؟",
         "values": [{"key": "pothole", "name_en": "Pothole", "name_ar": "حفرة"},
                    {"key": "light", "name_en": "Street light out", "name_ar": "عمود إنارة معطل"},
                    {"key": "sign", "name_en": "Damaged sign", "name_ar": "لوحة تالفة"}]},
        {"code": "HAZARD", "datatype": "singlevaluelist", "required": False,
         "description_en": "Is it a danger to traffic?",
         "description_ar": "هل يشكل خطراً على السير؟",
         "values": _YES_NO},
        {"code": "POLE", "datatype": "string", "required": False,
         "description_en": "Pole number (if any)", "description_ar": "رقم العمود (إن وجد)"},
    ],
    "muscat-waste-report": [
        {"code": "WASTE", "datatype": "multivaluelist", "required": True,
         "description_en": "What kind of waste?", "description_ar": "ما نوع المخلفات؟",
         "values": [{"key": "household", "name_en": "Household", "name_ar": "منزلية"},
                    {"key": "construction", "name_en": "Construction", "name_ar": "مخلفات بناء"},
                    {"key": "green", "name_en": "Garden", "name_ar": "مخلفات حدائق"}]},
        {"code": "DAYS", "datatype": "number", "required": False,
         "description_en": "Days since last collection", "description_ar": "الأيام منذ آخر جمع"},
    ],
    "muscat-rainwater-report": [
        {"code": "DEPTH", "datatype": "singlevaluelist", "required": True,
         "description_en": "How deep is the water?", "description_ar": "ما عمق المياه؟",
         "values": [{"key": "ankle", "name_en": "Ankle deep", "name_ar": "حتى الكاحل"},
                    {"key": "knee", "name_en": "Knee deep", "name_ar": "حتى الركبة"},
                    {"key": "car", "name_en": "Cars cannot pass",
                     "name_ar": "لا تستطيع السيارات المرور"}]},
        {"code": "HOMES", "datatype": "singlevaluelist", "required": False,
         "description_en": "Is water entering homes?", "description_ar": "هل تدخل المياه المنازل؟",
         "values": _YES_NO},
    ],
    "muscat-stray-animals": [
        {"code": "ANIMAL", "datatype": "singlevaluelist", "required": True,
         "description_en": "Which animals?", "description_ar": "ما الحيوانات؟",
         "values": [{"key": "dogs", "name_en": "Dogs", "name_ar": "كلاب"},
                    {"key": "cats", "name_en": "Cats", "name_ar": "قطط"},
                    {"key": "camels", "name_en": "Camels or livestock", "name_ar": "إبل أو مواشٍ"}]},
        {"code": "COUNT", "datatype": "number", "required": False,
         "description_en": "About how many?", "description_ar": "كم عددها تقريباً؟"},
    ],
}  # fmt: skip


@transaction.atomic
def seed_demo() -> str:
    questions = 0
    for code, attributes in ATTRIBUTES.items():
        service = Service.objects.filter(code=code).first()
        if service is None:
            continue
        for order, spec in enumerate(attributes, start=1):
            ServiceAttribute.objects.update_or_create(
                service=service, code=spec["code"], defaults={**spec, "order": order}
            )
            questions += 1
    # Keys are stored hashed, so a re-seed replaces the demo key to be able to print it.
    Open311Client.objects.filter(name=DEMO_CLIENT).delete()
    _client, key = Open311Client.issue(name=DEMO_CLIENT)
    AppInstallation.objects.filter(platform=DEMO_PLATFORM).delete()
    app_token = new_token("twapp")
    AppInstallation.objects.create(
        platform=DEMO_PLATFORM,
        app_version="demo",
        account_id="app-demo",
        token_prefix=app_token[:10],
        token_digest=secret_hash(app_token),
    )
    return (
        f"{questions} service questions; portal /portal/ ; "
        f"Open311 /portal/open311/v2/discovery.json api_key={key} ; "
        f"app API /api/app/ Authorization: Bearer {app_token}"
    )
