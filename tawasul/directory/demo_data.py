"""Demo directory for ``tawasul seed demo``: pure data, no Django, no I/O.

Everything here is modelled on the five seed documents in ``shared/seeds/`` (Qatar's government
contact center "109", the 16000 emergency health hotline, Qatar's Health Call Center, Oman
Ministry of Health's call center on 24441999 and Muscat Municipality's call center on 1111).
Names of entities are their official names; departments, services, fees, staff, residents and
cases are realistic but invented for demonstration: fees are illustrative, not official tariffs,
phone numbers and e-mail addresses are fictitious (e-mail uses the reserved ``example.*``
domains).

Top-level constants (all immutable tuples of ``TypedDict`` rows, defined below):

``LANGUAGES`` (:class:`Language`)
    The 9 hotline languages: ``code`` (ISO 639-1), ``name_en``, ``name_ar``, ``native_name``,
    ``rtl``. The seeds say "9 languages" without naming them; these are the languages of
    Qatar's largest communities.
``CALENDARS`` (:class:`Calendar`)
    ``code``, ``name_en``, ``name_ar``, ``timezone``, ``is_24x7``, ``weekly`` (weekday 0 = Monday
    … 6 = Sunday -> tuple of ``("HH:MM", "HH:MM")`` intervals; ``"24:00"`` is the end of the day,
    as in :func:`tawasul.directory.hours.parse_hhmm`), ``holidays`` (:class:`Holiday`: ``date``
    ``"YYYY-MM-DD"``, ``name_en``, ``name_ar``, ``hours``: at most one interval, empty = closed).
    Public holidays of 2026 and 2027; Islamic holidays are computed dates (Umm al-Qura /
    expected crescent sighting) and move by a day when the moon is sighted otherwise.
``ENTITIES`` (:class:`Entity`)
    34 government entities: ``code``, ``name_en``, ``name_ar``, ``description_en``,
    ``description_ar``, ``country`` ("QA" / "OM"), ``timezone``, ``calendar`` (a calendar
    code), ``departments`` (:class:`Department`: ``code``, ``name_en``, ``name_ar``) and
    ``services`` (:class:`Service`: ``code``, ``name_en``, ``name_ar``, ``description_en``,
    ``description_ar``, ``procedure_en``, ``procedure_ar`` (ordered steps, see
    :func:`procedure_text`), ``documents_en``, ``documents_ar`` (tuples of strings),
    ``fee_qar_or_omr`` (in the entity's currency: QAR in Qatar, OMR in Oman; ``None`` = no fee
    or it varies), ``department`` (a department code of the same entity)).
``HOTLINES`` (:class:`Hotline`)
    ``number``, ``name_en``, ``name_ar``, ``entities``, ``languages`` (codes), ``is_24x7``,
    ``calendar``, ``priority`` (higher is served first; 16000 is the highest), ``greeting_en``,
    ``greeting_ar``.
``SLA_POLICIES`` (:class:`SlaPolicy`)
    ``entity`` (code, or ``None`` for the default matrix), ``kind``, ``priority``,
    ``first_response_hours``, ``resolution_hours`` (business hours of the entity's calendar; a
    government working day is 7 hours).
``DEMO_STAFF`` (:class:`StaffMember`)
    ``username``, ``first_name``, ``last_name``, ``display_name_ar``, ``role``, ``entity``
    (code, ``None`` for contact-center staff), ``departments`` (codes), ``languages`` (codes).
    No passwords here.
``DEMO_RESIDENTS`` (:class:`DemoResident`)
    ``name_latin`` and ``name_ar`` (either may be ``None``), ``phone`` (E.164), ``email``,
    ``country``, ``language``, ``reply_channel``.
``DEMO_CASE_TEMPLATES`` (:class:`CaseTemplate`)
    ``kind``, ``entity``, ``service``, ``priority``, ``channel``, ``language`` (the language the
    resident wrote or spoke in), ``subject_en``, ``subject_ar``, ``description_en``,
    ``description_ar``, and for reports of a place ``lat``, ``lon``, ``address_en``,
    ``address_ar`` (otherwise ``None``).

``OPEN311_PUBLIC``
    Service code -> whether its texts are published: the services whose reports the keyless
    Open311 request list shows (issues in public space only; never a health entity).

Vocabularies: ``CASE_KINDS``, ``PRIORITIES``, ``ROLES``, ``REPLY_CHANNELS``, ``CHANNELS``.
:func:`validate` checks the whole module and returns a list of problems (empty when sound).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Literal, TypedDict

Interval = tuple[str, str]
CaseKind = Literal["inquiry", "complaint", "report", "suggestion"]
Priority = Literal["low", "normal", "high", "urgent"]
Role = Literal["agent", "supervisor", "quality_analyst", "planner", "backoffice", "admin"]
ReplyChannel = Literal["sms", "email", "phone", "app"]
Channel = Literal["phone", "email", "sms", "web", "app", "social", "fax"]

CASE_KINDS: tuple[CaseKind, ...] = ("inquiry", "complaint", "report", "suggestion")
PRIORITIES: tuple[Priority, ...] = ("low", "normal", "high", "urgent")
ROLES: tuple[Role, ...] = (
    "agent",
    "supervisor",
    "quality_analyst",
    "planner",
    "backoffice",
    "admin",
)
REPLY_CHANNELS: tuple[ReplyChannel, ...] = ("sms", "email", "phone", "app")
CHANNELS: tuple[Channel, ...] = ("phone", "email", "sms", "web", "app", "social", "fax")


class Language(TypedDict):
    code: str
    name_en: str
    name_ar: str
    native_name: str
    rtl: bool


class Holiday(TypedDict):
    date: str
    name_en: str
    name_ar: str
    hours: tuple[Interval, ...]


class Calendar(TypedDict):
    code: str
    name_en: str
    name_ar: str
    timezone: str
    is_24x7: bool
    weekly: dict[int, tuple[Interval, ...]]
    holidays: tuple[Holiday, ...]


class Department(TypedDict):
    code: str
    name_en: str
    name_ar: str


class Service(TypedDict):
    code: str
    name_en: str
    name_ar: str
    description_en: str
    description_ar: str
    procedure_en: tuple[str, ...]
    procedure_ar: tuple[str, ...]
    documents_en: tuple[str, ...]
    documents_ar: tuple[str, ...]
    fee_qar_or_omr: float | None
    department: str


class Entity(TypedDict):
    code: str
    name_en: str
    name_ar: str
    description_en: str
    description_ar: str
    country: Literal["QA", "OM"]
    timezone: str
    calendar: str
    departments: tuple[Department, ...]
    services: tuple[Service, ...]


class Hotline(TypedDict):
    number: str
    name_en: str
    name_ar: str
    entities: tuple[str, ...]
    languages: tuple[str, ...]
    is_24x7: bool
    calendar: str
    priority: int
    greeting_en: str
    greeting_ar: str


class SlaPolicy(TypedDict):
    entity: str | None
    kind: CaseKind
    priority: Priority
    first_response_hours: float
    resolution_hours: float


class StaffMember(TypedDict):
    username: str
    first_name: str
    last_name: str
    display_name_ar: str
    role: Role
    entity: str | None
    departments: tuple[str, ...]
    languages: tuple[str, ...]


class DemoResident(TypedDict):
    name_latin: str | None
    name_ar: str | None
    phone: str
    email: str | None
    country: Literal["QA", "OM"]
    language: str
    reply_channel: ReplyChannel


class CaseTemplate(TypedDict):
    kind: CaseKind
    entity: str
    service: str
    priority: Priority
    channel: Channel
    language: str
    subject_en: str
    subject_ar: str
    description_en: str
    description_ar: str
    lat: float | None
    lon: float | None
    address_en: str | None
    address_ar: str | None


def procedure_text(steps: tuple[str, ...]) -> str:
    """Numbered text of a procedure ("1. …\\n2. …"), as stored in a Service's text field."""
    return "\n".join(f"{number}. {step}" for number, step in enumerate(steps, start=1))


# --------------------------------------------------------------------------------------------
# Languages
# --------------------------------------------------------------------------------------------

LANGUAGES: tuple[Language, ...] = (
    {
        "code": "ar",
        "name_en": "Arabic",
        "name_ar": "العربية",
        "native_name": "العربية",
        "rtl": True,
    },
    {
        "code": "en",
        "name_en": "English",
        "name_ar": "الإنجليزية",
        "native_name": "English",
        "rtl": False,
    },
    {"code": "ur", "name_en": "Urdu", "name_ar": "الأردية", "native_name": "اردو", "rtl": True},
    {"code": "hi", "name_en": "Hindi", "name_ar": "الهندية", "native_name": "हिन्दी", "rtl": False},
    {
        "code": "ml",
        "name_en": "Malayalam",
        "name_ar": "المالايالامية",
        "native_name": "മലയാളം",
        "rtl": False,
    },
    {
        "code": "bn",
        "name_en": "Bengali",
        "name_ar": "البنغالية",
        "native_name": "বাংলা",
        "rtl": False,
    },
    {
        "code": "ne",
        "name_en": "Nepali",
        "name_ar": "النيبالية",
        "native_name": "नेपाली",
        "rtl": False,
    },
    {
        "code": "tl",
        "name_en": "Tagalog (Filipino)",
        "name_ar": "التاغالوغية (الفلبينية)",
        "native_name": "Tagalog",
        "rtl": False,
    },
    {
        "code": "fr",
        "name_en": "French",
        "name_ar": "الفرنسية",
        "native_name": "Français",
        "rtl": False,
    },
)

# --------------------------------------------------------------------------------------------
# Calendars
# --------------------------------------------------------------------------------------------

_FRI, _SAT = 4, 5  # Python weekday numbers; the weekend in Qatar and Oman
_ALL_DAY: tuple[Interval, ...] = (("00:00", "24:00"),)


def _week(
    workdays: tuple[Interval, ...], weekend: tuple[Interval, ...] = ()
) -> dict[int, tuple[Interval, ...]]:
    """Sunday–Thursday on ``workdays`` hours, Friday–Saturday on ``weekend`` hours."""
    week: dict[int, tuple[Interval, ...]] = {}
    for day in range(7):
        week[day] = weekend if day in (_FRI, _SAT) else workdays
    return week


# (date, English name, Arabic name) — public holidays observed by the government in Qatar.
_QA_HOLIDAYS: tuple[tuple[str, str, str], ...] = (
    ("2026-02-10", "National Sport Day", "اليوم الرياضي للدولة"),
    ("2026-03-20", "Eid al-Fitr (day 1)", "عيد الفطر (اليوم الأول)"),
    ("2026-03-21", "Eid al-Fitr (day 2)", "عيد الفطر (اليوم الثاني)"),
    ("2026-03-22", "Eid al-Fitr (day 3)", "عيد الفطر (اليوم الثالث)"),
    ("2026-05-26", "Day of Arafah", "يوم عرفة"),
    ("2026-05-27", "Eid al-Adha (day 1)", "عيد الأضحى (اليوم الأول)"),
    ("2026-05-28", "Eid al-Adha (day 2)", "عيد الأضحى (اليوم الثاني)"),
    ("2026-05-29", "Eid al-Adha (day 3)", "عيد الأضحى (اليوم الثالث)"),
    ("2026-12-18", "Qatar National Day", "اليوم الوطني لدولة قطر"),
    ("2027-02-09", "National Sport Day", "اليوم الرياضي للدولة"),
    ("2027-03-10", "Eid al-Fitr (day 1)", "عيد الفطر (اليوم الأول)"),
    ("2027-03-11", "Eid al-Fitr (day 2)", "عيد الفطر (اليوم الثاني)"),
    ("2027-03-12", "Eid al-Fitr (day 3)", "عيد الفطر (اليوم الثالث)"),
    ("2027-05-16", "Day of Arafah", "يوم عرفة"),
    ("2027-05-17", "Eid al-Adha (day 1)", "عيد الأضحى (اليوم الأول)"),
    ("2027-05-18", "Eid al-Adha (day 2)", "عيد الأضحى (اليوم الثاني)"),
    ("2027-05-19", "Eid al-Adha (day 3)", "عيد الأضحى (اليوم الثالث)"),
    ("2027-12-18", "Qatar National Day", "اليوم الوطني لدولة قطر"),
)

# Public holidays in the Sultanate of Oman.
_OM_HOLIDAYS: tuple[tuple[str, str, str], ...] = (
    (
        "2026-01-11",
        "Accession Day of His Majesty the Sultan",
        "ذكرى تولي جلالة السلطان مقاليد الحكم",
    ),
    ("2026-01-16", "Al-Isra wal-Miraj", "ذكرى الإسراء والمعراج"),
    ("2026-03-20", "Eid al-Fitr (day 1)", "عيد الفطر (اليوم الأول)"),
    ("2026-03-21", "Eid al-Fitr (day 2)", "عيد الفطر (اليوم الثاني)"),
    ("2026-03-22", "Eid al-Fitr (day 3)", "عيد الفطر (اليوم الثالث)"),
    ("2026-05-26", "Day of Arafah", "يوم عرفة"),
    ("2026-05-27", "Eid al-Adha (day 1)", "عيد الأضحى (اليوم الأول)"),
    ("2026-05-28", "Eid al-Adha (day 2)", "عيد الأضحى (اليوم الثاني)"),
    ("2026-05-29", "Eid al-Adha (day 3)", "عيد الأضحى (اليوم الثالث)"),
    ("2026-06-16", "Islamic New Year", "رأس السنة الهجرية"),
    ("2026-08-25", "Prophet's Birthday", "المولد النبوي الشريف"),
    ("2026-11-20", "National Day (day 1)", "العيد الوطني (اليوم الأول)"),
    ("2026-11-21", "National Day (day 2)", "العيد الوطني (اليوم الثاني)"),
    ("2027-01-05", "Al-Isra wal-Miraj", "ذكرى الإسراء والمعراج"),
    (
        "2027-01-11",
        "Accession Day of His Majesty the Sultan",
        "ذكرى تولي جلالة السلطان مقاليد الحكم",
    ),
    ("2027-03-10", "Eid al-Fitr (day 1)", "عيد الفطر (اليوم الأول)"),
    ("2027-03-11", "Eid al-Fitr (day 2)", "عيد الفطر (اليوم الثاني)"),
    ("2027-03-12", "Eid al-Fitr (day 3)", "عيد الفطر (اليوم الثالث)"),
    ("2027-05-16", "Day of Arafah", "يوم عرفة"),
    ("2027-05-17", "Eid al-Adha (day 1)", "عيد الأضحى (اليوم الأول)"),
    ("2027-05-18", "Eid al-Adha (day 2)", "عيد الأضحى (اليوم الثاني)"),
    ("2027-05-19", "Eid al-Adha (day 3)", "عيد الأضحى (اليوم الثالث)"),
    ("2027-06-06", "Islamic New Year", "رأس السنة الهجرية"),
    ("2027-08-14", "Prophet's Birthday", "المولد النبوي الشريف"),
    ("2027-11-20", "National Day (day 1)", "العيد الوطني (اليوم الأول)"),
    ("2027-11-21", "National Day (day 2)", "العيد الوطني (اليوم الثاني)"),
)


def _holidays(
    rows: tuple[tuple[str, str, str], ...], hours: tuple[Interval, ...] = ()
) -> tuple[Holiday, ...]:
    return tuple(
        {"date": day, "name_en": name_en, "name_ar": name_ar, "hours": hours}
        for day, name_en, name_ar in rows
    )


CALENDARS: tuple[Calendar, ...] = (
    {
        "code": "24x7",
        "name_en": "Around the clock (24/7)",
        "name_ar": "على مدار الساعة طوال أيام الأسبوع",
        "timezone": "Asia/Qatar",
        "is_24x7": True,
        "weekly": {day: _ALL_DAY for day in range(7)},
        "holidays": (),
    },
    {
        "code": "qa-gov",
        "name_en": "Qatar government working hours",
        "name_ar": "ساعات الدوام الرسمي في الجهات الحكومية بدولة قطر",
        "timezone": "Asia/Qatar",
        "is_24x7": False,
        # Sunday to Thursday 07:00–14:00; the weekend is Friday and Saturday.
        "weekly": _week((("07:00", "14:00"),)),
        "holidays": _holidays(_QA_HOLIDAYS),
    },
    {
        "code": "qa-customs-184",
        "name_en": "Customs hotline 184 hours",
        "name_ar": "ساعات عمل الخط الساخن للجمارك 184",
        "timezone": "Asia/Qatar",
        "is_24x7": False,
        # Extended business hours for clearing agents; a short Saturday shift.
        "weekly": {**_week((("07:00", "20:00"),)), _SAT: (("08:00", "14:00"),)},
        "holidays": _holidays(_QA_HOLIDAYS),
    },
    {
        "code": "om-gov",
        "name_en": "Oman government working hours",
        "name_ar": "ساعات الدوام الرسمي في الجهات الحكومية بسلطنة عُمان",
        "timezone": "Asia/Muscat",
        "is_24x7": False,
        # Sunday to Thursday 07:30–14:30; the weekend is Friday and Saturday.
        "weekly": _week((("07:30", "14:30"),)),
        "holidays": _holidays(_OM_HOLIDAYS),
    },
    {
        "code": "om-moh-cc",
        "name_en": "Oman Ministry of Health call center hours",
        "name_ar": "ساعات عمل مركز الاتصال بوزارة الصحة في سلطنة عُمان",
        "timezone": "Asia/Muscat",
        "is_24x7": False,
        # From the seed: every day 07:30–21:30; public holidays 09:30–16:30.
        "weekly": {day: (("07:30", "21:30"),) for day in range(7)},
        "holidays": _holidays(_OM_HOLIDAYS, (("09:30", "16:30"),)),
    },
    {
        "code": "om-muscat-1111",
        "name_en": "Muscat Municipality call center 1111 hours",
        "name_ar": "ساعات عمل مركز الاتصالات ببلدية مسقط 1111",
        "timezone": "Asia/Muscat",
        "is_24x7": False,
        # Agents on weekdays, the on-call duty rota at weekends and on public holidays.
        "weekly": _week((("07:30", "22:00"),), (("08:00", "16:00"),)),
        "holidays": _holidays(_OM_HOLIDAYS, (("08:00", "16:00"),)),
    },
)

# --------------------------------------------------------------------------------------------
# Entities — health
# --------------------------------------------------------------------------------------------


class _Seat(TypedDict):
    """Country, time zone and calendar shared by the entities of one country."""

    country: Literal["QA", "OM"]
    timezone: str
    calendar: str


_QA: _Seat = {"country": "QA", "timezone": "Asia/Qatar", "calendar": "qa-gov"}
_OM: _Seat = {"country": "OM", "timezone": "Asia/Muscat", "calendar": "om-gov"}

_PHCC: Entity = {
    "code": "phcc",
    "name_en": "Primary Health Care Corporation",
    "name_ar": "مؤسسة الرعاية الصحية الأولية",
    "description_en": (
        "Runs Qatar's network of health centres: family medicine, health cards, appointments, "
        "vaccinations, screening and well-baby care."
    ),
    "description_ar": (
        "تدير شبكة المراكز الصحية في دولة قطر وتقدّم خدمات طب الأسرة والبطاقات الصحية "
        "والمواعيد والتطعيمات والفحوص الوقائية ورعاية الطفل السليم."
    ),
    **_QA,
    "departments": (
        {
            "code": "registration",
            "name_en": "Registration and Health Cards",
            "name_ar": "التسجيل والبطاقات الصحية",
        },
        {"code": "appointments", "name_en": "Appointments Centre", "name_ar": "مركز المواعيد"},
        {"code": "clinical", "name_en": "Clinical Services", "name_ar": "الخدمات السريرية"},
        {
            "code": "preventive-health",
            "name_en": "Vaccination and Preventive Health",
            "name_ar": "التطعيمات والصحة الوقائية",
        },
        {
            "code": "patient-experience",
            "name_en": "Patient Experience",
            "name_ar": "تجربة المراجعين",
        },
    ),
    "services": (
        {
            "code": "phcc-health-card-new",
            "name_en": "Issue a health card",
            "name_ar": "إصدار بطاقة صحية",
            "description_en": (
                "First health card for a citizen or resident; it registers the holder at the "
                "health centre nearest to the home address."
            ),
            "description_ar": (
                "إصدار البطاقة الصحية لأول مرة للمواطن أو المقيم، وبها يُسجَّل حاملها في "
                "المركز الصحي الأقرب إلى عنوان سكنه."
            ),
            "procedure_en": (
                "Apply on the Hukoomi portal or at the registration desk of any health centre.",
                "Present the Qatar ID and confirm the national address.",
                "Pay the fee online or at the centre (Qatari citizens are exempt).",
                "Receive an SMS with the card number and the assigned health centre.",
            ),
            "procedure_ar": (
                "تقديم الطلب عبر بوابة حكومي أو في مكتب التسجيل بأي مركز صحي.",
                "إبراز البطاقة الشخصية القطرية وتأكيد العنوان الوطني.",
                "سداد الرسوم إلكترونياً أو في المركز (يُعفى المواطنون القطريون).",
                "استلام رسالة نصية برقم البطاقة والمركز الصحي المخصص.",
            ),
            "documents_en": (
                "Valid Qatar ID",
                "National address certificate",
                "Birth certificate for children under one year",
            ),
            "documents_ar": (
                "بطاقة شخصية قطرية سارية",
                "شهادة العنوان الوطني",
                "شهادة الميلاد للأطفال دون السنة",
            ),
            "fee_qar_or_omr": 100,
            "department": "registration",
        },
        {
            "code": "phcc-health-card-renewal",
            "name_en": "Renew a health card",
            "name_ar": "تجديد البطاقة الصحية",
            "description_en": "Renewal of an expired or expiring health card.",
            "description_ar": "تجديد البطاقة الصحية المنتهية أو التي أوشكت صلاحيتها على الانتهاء.",
            "procedure_en": (
                "Renew on the Hukoomi portal, the Nar'aakom app or at a health centre kiosk.",
                "Enter the Qatar ID number and the health card number.",
                "Pay the renewal fee by bank card.",
                "The renewed card is valid immediately; no new card needs to be printed.",
            ),
            "procedure_ar": (
                (
                    "التجديد عبر بوابة حكومي أو تطبيق نرعاكم أو أجهزة الخدمة الذاتية في المراكز "
                    "الصحية."
                ),
                "إدخال رقم البطاقة الشخصية ورقم البطاقة الصحية.",
                "سداد رسوم التجديد بالبطاقة البنكية.",
                "تصبح البطاقة المجددة سارية فوراً دون الحاجة إلى طباعة بطاقة جديدة.",
            ),
            "documents_en": ("Valid Qatar ID", "Current health card number"),
            "documents_ar": ("بطاقة شخصية قطرية سارية", "رقم البطاقة الصحية الحالية"),
            "fee_qar_or_omr": 100,
            "department": "registration",
        },
        {
            "code": "phcc-change-health-centre",
            "name_en": "Change the assigned health centre",
            "name_ar": "تغيير المركز الصحي المخصص",
            "description_en": "Transfer of the registration to another health centre after a move.",
            "description_ar": "نقل تسجيل المراجع إلى مركز صحي آخر بعد تغيير مكان السكن.",
            "procedure_en": (
                "Update the national address with the Ministry of Interior first.",
                "Ask the registration desk of the new health centre, or call 107.",
                "The file and the assigned family physician are moved within two working days.",
            ),
            "procedure_ar": (
                "تحديث العنوان الوطني لدى وزارة الداخلية أولاً.",
                "مراجعة مكتب التسجيل في المركز الصحي الجديد أو الاتصال بالرقم 107.",
                "يُنقل الملف الطبي وطبيب الأسرة المخصص خلال يومي عمل.",
            ),
            "documents_en": ("Qatar ID", "Updated national address certificate"),
            "documents_ar": ("البطاقة الشخصية القطرية", "شهادة العنوان الوطني المحدثة"),
            "fee_qar_or_omr": None,
            "department": "registration",
        },
        {
            "code": "phcc-appointment",
            "name_en": "Book, change or cancel an appointment",
            "name_ar": "حجز موعد أو تعديله أو إلغاؤه",
            "description_en": (
                "Appointments with a family physician, dentist or specialist clinic at a health "
                "centre, in person or by video consultation."
            ),
            "description_ar": (
                "مواعيد طبيب الأسرة أو طبيب الأسنان أو العيادات التخصصية في المراكز الصحية، "
                "حضورياً أو بالاستشارة المرئية."
            ),
            "procedure_en": (
                "Call 107 and choose the language of the call.",
                "Give the health card number and the reason for the visit.",
                "Choose a health centre, a clinic and an available time.",
                "Receive an SMS confirming the appointment; cancel by replying or calling 107.",
            ),
            "procedure_ar": (
                "الاتصال بالرقم 107 واختيار لغة المكالمة.",
                "تقديم رقم البطاقة الصحية وسبب الزيارة.",
                "اختيار المركز الصحي والعيادة والوقت المتاح.",
                "استلام رسالة نصية لتأكيد الموعد، ويمكن إلغاؤه بالرد عليها أو بالاتصال بالرقم 107.",
            ),
            "documents_en": ("Valid health card",),
            "documents_ar": ("بطاقة صحية سارية",),
            "fee_qar_or_omr": None,
            "department": "appointments",
        },
        {
            "code": "phcc-vaccination",
            "name_en": "Child and adult vaccinations",
            "name_ar": "تطعيمات الأطفال والبالغين",
            "description_en": (
                "National immunisation schedule for children, seasonal influenza vaccine and "
                "vaccines for adults."
            ),
            "description_ar": (
                "تطعيمات البرنامج الوطني للأطفال ولقاح الإنفلونزا الموسمية واللقاحات المقررة "
                "للبالغين."
            ),
            "procedure_en": (
                "Check the due vaccines in the child's vaccination card or on the Nar'aakom app.",
                "Book a vaccination appointment through 107 or walk in during clinic hours.",
                "Bring the vaccination card so that the dose is recorded.",
            ),
            "procedure_ar": (
                "الاطلاع على التطعيمات المستحقة في بطاقة تطعيم الطفل أو في تطبيق نرعاكم.",
                "حجز موعد للتطعيم عبر الرقم 107 أو الحضور خلال ساعات عمل العيادة.",
                "إحضار بطاقة التطعيم لتسجيل الجرعة.",
            ),
            "documents_en": ("Health card", "Vaccination card"),
            "documents_ar": ("البطاقة الصحية", "بطاقة التطعيم"),
            "fee_qar_or_omr": None,
            "department": "preventive-health",
        },
        {
            "code": "phcc-premarital-screening",
            "name_en": "Premarital screening",
            "name_ar": "فحص ما قبل الزواج",
            "description_en": (
                "Mandatory screening for genetic and infectious diseases before a marriage "
                "contract is registered."
            ),
            "description_ar": ("فحص إلزامي للأمراض الوراثية والمعدية قبل توثيق عقد الزواج."),
            "procedure_en": (
                "Book an appointment for both partners at a health centre through 107.",
                "Attend the counselling session and give blood samples.",
                "Collect the screening certificate after the results are ready.",
                "Present the certificate when the marriage contract is registered.",
            ),
            "procedure_ar": (
                "حجز موعد للطرفين في أحد المراكز الصحية عبر الرقم 107.",
                "حضور جلسة الإرشاد وأخذ عينات الدم.",
                "استلام شهادة الفحص بعد صدور النتائج.",
                "تقديم الشهادة عند توثيق عقد الزواج.",
            ),
            "documents_en": ("Health cards of both partners", "Qatar IDs or passports"),
            "documents_ar": ("البطاقة الصحية لكلا الطرفين", "البطاقة الشخصية أو جواز السفر"),
            "fee_qar_or_omr": None,
            "department": "preventive-health",
        },
        {
            "code": "phcc-medication-delivery",
            "name_en": "Repeat prescription and home delivery of medicines",
            "name_ar": "إعادة صرف الوصفة الطبية وتوصيل الأدوية إلى المنزل",
            "description_en": (
                "Refill of a repeat prescription for a chronic condition, delivered to the home "
                "address by Qatar Post."
            ),
            "description_ar": (
                "إعادة صرف الوصفات الطبية المتكررة للأمراض المزمنة وتوصيلها إلى عنوان السكن "
                "عن طريق بريد قطر."
            ),
            "procedure_en": (
                "Call 107 at least five days before the medicines run out.",
                "Confirm the health card number and the medicines to refill.",
                "The pharmacist reviews the prescription and prepares the order.",
                "Pay the delivery fee to the courier and receive the medicines.",
            ),
            "procedure_ar": (
                "الاتصال بالرقم 107 قبل نفاد الأدوية بخمسة أيام على الأقل.",
                "تأكيد رقم البطاقة الصحية والأدوية المطلوب إعادة صرفها.",
                "يراجع الصيدلي الوصفة الطبية ويجهز الطلب.",
                "سداد رسوم التوصيل لمندوب البريد واستلام الأدوية.",
            ),
            "documents_en": ("Health card", "Active repeat prescription"),
            "documents_ar": ("البطاقة الصحية", "وصفة طبية متكررة سارية"),
            "fee_qar_or_omr": 30,
            "department": "clinical",
        },
        {
            "code": "phcc-patient-feedback",
            "name_en": "Complaint, suggestion or compliment about a health centre",
            "name_ar": "شكوى أو مقترح أو إشادة بشأن مركز صحي",
            "description_en": (
                "Feedback about waiting times, staff conduct or the quality of care at a health "
                "centre."
            ),
            "description_ar": (
                "ملاحظات المراجعين حول فترات الانتظار أو تعامل الموظفين أو جودة الرعاية في "
                "المركز الصحي."
            ),
            "procedure_en": (
                "Call 107, write to the patient experience team or fill the form on the website.",
                "Describe what happened, where and when, and give the health card number.",
                "Receive a reference number for follow-up.",
                "The patient experience team investigates and replies on the chosen channel.",
            ),
            "procedure_ar": (
                (
                    "الاتصال بالرقم 107 أو مراسلة فريق تجربة المراجعين أو تعبئة النموذج في الموقع "
                    "الإلكتروني."
                ),
                "وصف ما حدث ومكانه وتوقيته مع ذكر رقم البطاقة الصحية.",
                "استلام رقم مرجعي للمتابعة.",
                "يحقق فريق تجربة المراجعين في الموضوع ويرد عبر الوسيلة المختارة.",
            ),
            "documents_en": ("Health card number", "Any supporting documents or photos"),
            "documents_ar": ("رقم البطاقة الصحية", "أي مستندات أو صور داعمة"),
            "fee_qar_or_omr": None,
            "department": "patient-experience",
        },
    ),
}

_MOPH: Entity = {
    "code": "moph",
    "name_en": "Ministry of Public Health",
    "name_ar": "وزارة الصحة العامة",
    "description_en": (
        "Sets health policy and regulates the health sector: licensing of health professionals "
        "and facilities, communicable disease control, medicines and health protection."
    ),
    "description_ar": (
        "ترسم السياسات الصحية وتنظّم القطاع الصحي، بما في ذلك ترخيص الكوادر والمنشآت الصحية "
        "ومكافحة الأمراض الانتقالية والرقابة على الأدوية وحماية الصحة."
    ),
    **_QA,
    "departments": (
        {
            "code": "healthcare-professions",
            "name_en": "Department of Healthcare Professions",
            "name_ar": "إدارة الكوادر الصحية",
        },
        {
            "code": "facilities-licensing",
            "name_en": "Healthcare Facilities Licensing",
            "name_ar": "إدارة تراخيص المنشآت الصحية",
        },
        {
            "code": "health-protection",
            "name_en": "Health Protection and Communicable Disease Control",
            "name_ar": "إدارة حماية الصحة ومكافحة الأمراض الانتقالية",
        },
        {
            "code": "pharmacy",
            "name_en": "Pharmacy and Drug Control",
            "name_ar": "إدارة الصيدلة والرقابة الدوائية",
        },
        {
            "code": "customer-service",
            "name_en": "Customer Service and Complaints",
            "name_ar": "خدمة العملاء والشكاوى",
        },
    ),
    "services": (
        {
            "code": "moph-practitioner-licence",
            "name_en": "Licence to practise a health profession",
            "name_ar": "ترخيص مزاولة مهنة صحية",
            "description_en": (
                "Registration and licensing of physicians, nurses, pharmacists and allied health "
                "professionals before they work in Qatar."
            ),
            "description_ar": (
                "تسجيل الأطباء والممرضين والصيادلة والمهن الصحية المساعدة وترخيصهم قبل "
                "مزاولة العمل في دولة قطر."
            ),
            "procedure_en": (
                "The employing facility submits the application on the ministry's portal.",
                "Qualifications and experience are verified at their source.",
                "The applicant sits the licensing examination where required.",
                "Pay the licence fee and download the licence from the portal.",
            ),
            "procedure_ar": (
                "تقدّم المنشأة الصحية الطلب عبر البوابة الإلكترونية للوزارة.",
                "التحقق من المؤهلات والخبرات من مصدرها الأساسي.",
                "اجتياز اختبار الترخيص عند اشتراطه.",
                "سداد رسوم الترخيص وتنزيل الترخيص من البوابة.",
            ),
            "documents_en": (
                "Passport and Qatar ID",
                "Degree certificates and transcripts",
                "Good standing certificate",
                "Experience certificates",
            ),
            "documents_ar": (
                "جواز السفر والبطاقة الشخصية",
                "الشهادات العلمية وكشوف الدرجات",
                "شهادة حسن السيرة المهنية",
                "شهادات الخبرة",
            ),
            "fee_qar_or_omr": 500,
            "department": "healthcare-professions",
        },
        {
            "code": "moph-licence-renewal",
            "name_en": "Renewal of a health practitioner licence",
            "name_ar": "تجديد ترخيص مزاولة المهنة الصحية",
            "description_en": (
                "Yearly renewal, subject to the required continuing professional development hours."
            ),
            "description_ar": "التجديد السنوي للترخيص بشرط استيفاء ساعات التطوير المهني المستمر.",
            "procedure_en": (
                "Log in to the ministry's portal at least 30 days before the licence expires.",
                "Confirm the continuing professional development credits.",
                "Pay the renewal fee and print the renewed licence.",
            ),
            "procedure_ar": (
                "الدخول إلى بوابة الوزارة قبل انتهاء الترخيص بثلاثين يوماً على الأقل.",
                "تأكيد ساعات التطوير المهني المستمر المعتمدة.",
                "سداد رسوم التجديد وطباعة الترخيص المجدد.",
            ),
            "documents_en": ("Current licence number", "CPD certificate"),
            "documents_ar": ("رقم الترخيص الحالي", "شهادة ساعات التطوير المهني المستمر"),
            "fee_qar_or_omr": 500,
            "department": "healthcare-professions",
        },
        {
            "code": "moph-facility-licence",
            "name_en": "Licence for a private health facility",
            "name_ar": "ترخيص منشأة صحية خاصة",
            "description_en": (
                "Licensing of private clinics, medical centres, pharmacies and laboratories."
            ),
            "description_ar": "ترخيص العيادات والمراكز الطبية والصيدليات والمختبرات الخاصة.",
            "procedure_en": (
                "Submit the initial approval request with the floor plans.",
                "Obtain the commercial registration and the municipal licence.",
                "Request the inspection visit once the premises are ready.",
                "Pay the fee and receive the facility licence.",
            ),
            "procedure_ar": (
                "تقديم طلب الموافقة المبدئية مرفقاً بالمخططات الهندسية.",
                "استخراج السجل التجاري والترخيص البلدي.",
                "طلب زيارة التفتيش بعد تجهيز المنشأة.",
                "سداد الرسوم واستلام ترخيص المنشأة.",
            ),
            "documents_en": (
                "Commercial registration",
                "Floor plans approved by the municipality",
                "Licences of the medical director and staff",
            ),
            "documents_ar": (
                "السجل التجاري",
                "المخططات المعتمدة من البلدية",
                "تراخيص المدير الطبي والكوادر العاملة",
            ),
            "fee_qar_or_omr": 5000,
            "department": "facilities-licensing",
        },
        {
            "code": "moph-suspected-case-report",
            "name_en": "Report a suspected communicable disease case",
            "name_ar": "الإبلاغ عن حالة يُشتبه بإصابتها بمرض معدٍ",
            "description_en": (
                "Reports from the public or medical teams about suspected cases; the agent does "
                "an initial phone screening and hands the case to the medical team."
            ),
            "description_ar": (
                "استقبال بلاغات الجمهور والفرق الطبية عن الحالات المشتبه بها، وإجراء الفحص "
                "الأولي عبر الهاتف قبل تحويل الحالة إلى الكادر الطبي."
            ),
            "procedure_en": (
                "Call 16000 and give the name, location and phone number of the person.",
                "Answer the screening questions on symptoms, travel and contacts.",
                "The agent classifies the case and transfers it to the medical team.",
                "The medical team calls back with instructions for testing or isolation.",
            ),
            "procedure_ar": (
                "الاتصال بالرقم 16000 وتقديم اسم الشخص وموقعه ورقم هاتفه.",
                "الإجابة عن أسئلة الفحص الأولي حول الأعراض والسفر والمخالطين.",
                "يصنف الموظف الحالة ويحولها إلى الفريق الطبي.",
                "يتصل الفريق الطبي لتقديم تعليمات الفحص أو العزل.",
            ),
            "documents_en": ("None; the Qatar ID number helps to find the medical file",),
            "documents_ar": (
                "لا يلزم أي مستند، ويساعد رقم البطاقة الشخصية في الوصول إلى الملف الطبي",
            ),
            "fee_qar_or_omr": None,
            "department": "health-protection",
        },
        {
            "code": "moph-travel-health",
            "name_en": "Travel health guidance",
            "name_ar": "الإرشادات الصحية للسفر",
            "description_en": (
                "Health requirements and vaccines for travellers, and measures for arrivals "
                "during outbreaks."
            ),
            "description_ar": (
                "المتطلبات الصحية واللقاحات اللازمة للمسافرين والإجراءات المتبعة للقادمين "
                "خلال فترات تفشي الأمراض."
            ),
            "procedure_en": (
                "Call 16000 or 109 and state the destination or the country of departure.",
                "The agent reads the current guidance for that country.",
                "Book a travel vaccination at a health centre if needed.",
            ),
            "procedure_ar": (
                "الاتصال بالرقم 16000 أو 109 وتحديد بلد الوجهة أو بلد القدوم.",
                "يطلع الموظف المتصل على الإرشادات السارية الخاصة بذلك البلد.",
                "حجز موعد لتطعيمات السفر في أحد المراكز الصحية عند الحاجة.",
            ),
            "documents_en": ("Passport (for travel vaccinations)",),
            "documents_ar": ("جواز السفر (لتطعيمات السفر)",),
            "fee_qar_or_omr": None,
            "department": "health-protection",
        },
        {
            "code": "moph-personal-medicine-permit",
            "name_en": "Permit to bring in medicines for personal use",
            "name_ar": "إذن إدخال أدوية للاستعمال الشخصي",
            "description_en": (
                "Approval for travellers who bring controlled or prescription medicines into Qatar."
            ),
            "description_ar": (
                "موافقة للمسافرين الذين يحملون أدوية خاضعة للرقابة أو أدوية بوصفة طبية إلى دولة "
                "قطر."
            ),
            "procedure_en": (
                "Submit the request on the ministry's portal before travelling.",
                "Attach the prescription and the medical report.",
                "Receive the approval by e-mail and carry it with the medicines.",
            ),
            "procedure_ar": (
                "تقديم الطلب عبر بوابة الوزارة قبل السفر.",
                "إرفاق الوصفة الطبية والتقرير الطبي.",
                "استلام الموافقة بالبريد الإلكتروني وحملها مع الأدوية.",
            ),
            "documents_en": (
                "Prescription issued within the last six months",
                "Medical report",
                "Passport copy",
            ),
            "documents_ar": (
                "وصفة طبية صادرة خلال الأشهر الستة الأخيرة",
                "تقرير طبي",
                "نسخة من جواز السفر",
            ),
            "fee_qar_or_omr": None,
            "department": "pharmacy",
        },
        {
            "code": "moph-private-sector-complaint",
            "name_en": "Complaint against a private health facility",
            "name_ar": "شكوى ضد منشأة صحية خاصة",
            "description_en": (
                "Complaints about treatment, fees or conduct in private hospitals, clinics and "
                "pharmacies."
            ),
            "description_ar": (
                "الشكاوى المتعلقة بالعلاج أو الرسوم أو التعامل في المستشفيات والعيادات "
                "والصيدليات الخاصة."
            ),
            "procedure_en": (
                "Submit the complaint by phone, e-mail or the ministry's website.",
                "Give the name of the facility, the date of the visit and the details.",
                "Attach invoices, reports or photos if available.",
                "The ministry investigates and informs the complainant of the outcome.",
            ),
            "procedure_ar": (
                "تقديم الشكوى هاتفياً أو بالبريد الإلكتروني أو عبر الموقع الإلكتروني للوزارة.",
                "ذكر اسم المنشأة وتاريخ الزيارة وتفاصيل الشكوى.",
                "إرفاق الفواتير أو التقارير أو الصور إن وجدت.",
                "تحقق الوزارة في الشكوى وتبلغ مقدمها بالنتيجة.",
            ),
            "documents_en": ("Qatar ID", "Invoices or medical reports"),
            "documents_ar": ("البطاقة الشخصية القطرية", "الفواتير أو التقارير الطبية"),
            "fee_qar_or_omr": None,
            "department": "customer-service",
        },
    ),
}

_HMC: Entity = {
    "code": "hmc",
    "name_en": "Hamad Medical Corporation",
    "name_ar": "مؤسسة حمد الطبية",
    "description_en": (
        "Qatar's main public provider of secondary and tertiary care: hospitals, the ambulance "
        "service and specialist outpatient clinics."
    ),
    "description_ar": (
        "الجهة الرئيسية لتقديم الرعاية الصحية الثانوية والتخصصية في دولة قطر، وتشمل "
        "المستشفيات وخدمة الإسعاف والعيادات التخصصية."
    ),
    **_QA,
    "departments": (
        {
            "code": "outpatients",
            "name_en": "Outpatient Appointments",
            "name_ar": "مواعيد العيادات الخارجية",
        },
        {
            "code": "health-information",
            "name_en": "Health Information Management",
            "name_ar": "إدارة المعلومات الصحية",
        },
        {
            "code": "patient-relations",
            "name_en": "Patient Relations (Nesma'ak)",
            "name_ar": "علاقات المرضى (نسمعك)",
        },
        {"code": "ambulance", "name_en": "Ambulance Service", "name_ar": "خدمة الإسعاف"},
    ),
    "services": (
        {
            "code": "hmc-outpatient-appointment",
            "name_en": "Specialist outpatient appointment",
            "name_ar": "موعد في العيادات التخصصية الخارجية",
            "description_en": (
                "Booking or rescheduling a specialist appointment after a referral from a health "
                "centre."
            ),
            "description_ar": (
                "حجز موعد في العيادات التخصصية أو تعديله بعد التحويل من المركز الصحي."
            ),
            "procedure_en": (
                "Obtain a referral from the family physician at the health centre.",
                "Wait for the SMS with the proposed appointment.",
                "Call to confirm or reschedule, giving the health card number.",
            ),
            "procedure_ar": (
                "الحصول على تحويل من طبيب الأسرة في المركز الصحي.",
                "انتظار الرسالة النصية التي تتضمن الموعد المقترح.",
                "الاتصال لتأكيد الموعد أو تعديله مع ذكر رقم البطاقة الصحية.",
            ),
            "documents_en": ("Health card", "Referral number"),
            "documents_ar": ("البطاقة الصحية", "رقم التحويل"),
            "fee_qar_or_omr": None,
            "department": "outpatients",
        },
        {
            "code": "hmc-medical-report",
            "name_en": "Request a medical report",
            "name_ar": "طلب تقرير طبي",
            "description_en": "A medical report or a copy of medical records for the patient.",
            "description_ar": "إصدار تقرير طبي أو نسخة من السجلات الطبية للمريض.",
            "procedure_en": (
                "Submit the request at the hospital's medical records office or online.",
                "Verify identity; a relative needs a signed authorisation.",
                "Pay the fee.",
                "Collect the report or receive it by e-mail within ten working days.",
            ),
            "procedure_ar": (
                "تقديم الطلب في مكتب السجلات الطبية بالمستشفى أو إلكترونياً.",
                "التحقق من الهوية، ويلزم تفويض موقّع إذا قدّم الطلب أحد الأقارب.",
                "سداد الرسوم.",
                "استلام التقرير أو وصوله بالبريد الإلكتروني خلال عشرة أيام عمل.",
            ),
            "documents_en": ("Qatar ID of the patient", "Authorisation letter for a third party"),
            "documents_ar": ("البطاقة الشخصية للمريض", "خطاب تفويض عند التقديم نيابة عنه"),
            "fee_qar_or_omr": 100,
            "department": "health-information",
        },
    ),
}

# --------------------------------------------------------------------------------------------
# Entities — education and commerce
# --------------------------------------------------------------------------------------------

_MOEHE: Entity = {
    "code": "moehe",
    "name_en": "Ministry of Education and Higher Education",
    "name_ar": "وزارة التربية والتعليم والتعليم العالي",
    "description_en": (
        "Runs government schools and regulates private schools and higher education: "
        "registration, transfers, certificates, equivalency and scholarships."
    ),
    "description_ar": (
        "تدير المدارس الحكومية وتشرف على المدارس الخاصة والتعليم العالي، وتقدّم خدمات "
        "التسجيل والنقل والشهادات ومعادلة المؤهلات والبعثات."
    ),
    **_QA,
    "departments": (
        {"code": "student-affairs", "name_en": "Student Affairs", "name_ar": "شؤون الطلبة"},
        {
            "code": "educational-licensing",
            "name_en": "Educational Licensing",
            "name_ar": "إدارة التراخيص التعليمية",
        },
        {
            "code": "equivalency",
            "name_en": "Certificate Equivalency and Attestation",
            "name_ar": "معادلة الشهادات وتصديقها",
        },
        {"code": "scholarships", "name_en": "Scholarships", "name_ar": "إدارة البعثات"},
        {
            "code": "assessment",
            "name_en": "Examinations and Assessment",
            "name_ar": "الامتحانات والتقييم",
        },
    ),
    "services": (
        {
            "code": "moehe-school-registration",
            "name_en": "Register a new student in a government school",
            "name_ar": "تسجيل طالب جديد في مدرسة حكومية",
            "description_en": (
                "Registration of new students, including kindergarten, during the registration "
                "period announced each year."
            ),
            "description_ar": (
                "تسجيل الطلبة الجدد، ومنهم طلبة رياض الأطفال، خلال فترة التسجيل التي تعلن "
                "عنها الوزارة سنوياً."
            ),
            "procedure_en": (
                (
                    "Check eligibility and the school serving the home address on the ministry's "
                    "portal."
                ),
                "Fill the online registration form with the student's and guardian's data.",
                "Upload the required documents.",
                "Receive the placement result by SMS and complete the file at the school.",
            ),
            "procedure_ar": (
                "التحقق من شروط القبول والمدرسة التابعة لعنوان السكن عبر بوابة الوزارة.",
                "تعبئة نموذج التسجيل الإلكتروني ببيانات الطالب وولي الأمر.",
                "رفع المستندات المطلوبة.",
                "استلام نتيجة التوزيع برسالة نصية واستكمال الملف في المدرسة.",
            ),
            "documents_en": (
                "Qatar IDs of the student and guardian",
                "Birth certificate",
                "Vaccination card",
                "Last school report for transfers from abroad",
            ),
            "documents_ar": (
                "البطاقة الشخصية للطالب وولي الأمر",
                "شهادة الميلاد",
                "بطاقة التطعيم",
                "آخر شهادة دراسية للقادمين من الخارج",
            ),
            "fee_qar_or_omr": None,
            "department": "student-affairs",
        },
        {
            "code": "moehe-school-transfer",
            "name_en": "Transfer a student between schools",
            "name_ar": "نقل طالب من مدرسة إلى أخرى",
            "description_en": "Transfer between government schools or from a private school.",
            "description_ar": "النقل بين المدارس الحكومية أو من مدرسة خاصة إلى مدرسة حكومية.",
            "procedure_en": (
                "Submit the transfer request on the ministry's portal with the reason.",
                "The current school clears the student's file.",
                "The receiving school confirms the seat and the student starts there.",
            ),
            "procedure_ar": (
                "تقديم طلب النقل عبر بوابة الوزارة مع ذكر السبب.",
                "تُخلي المدرسة الحالية طرف الطالب.",
                "تؤكد المدرسة المستقبلة توفر المقعد ويلتحق بها الطالب.",
            ),
            "documents_en": ("Qatar ID of the student", "National address certificate"),
            "documents_ar": ("البطاقة الشخصية للطالب", "شهادة العنوان الوطني"),
            "fee_qar_or_omr": None,
            "department": "student-affairs",
        },
        {
            "code": "moehe-certificate-attestation",
            "name_en": "Attestation of school certificates",
            "name_ar": "تصديق الشهادات الدراسية",
            "description_en": (
                "Attestation of certificates issued by schools in Qatar for use abroad or by "
                "employers."
            ),
            "description_ar": (
                "تصديق الشهادات الصادرة عن المدارس في دولة قطر لاستخدامها في الخارج أو لدى "
                "جهات العمل."
            ),
            "procedure_en": (
                "Apply on the ministry's portal and upload a scan of the certificate.",
                "Pay the attestation fee.",
                "Collect the attested original from the customer service hall.",
            ),
            "procedure_ar": (
                "تقديم الطلب عبر بوابة الوزارة ورفع صورة من الشهادة.",
                "سداد رسوم التصديق.",
                "استلام الشهادة الأصلية المصدقة من صالة خدمة العملاء.",
            ),
            "documents_en": ("Original certificate", "Qatar ID or passport"),
            "documents_ar": ("أصل الشهادة", "البطاقة الشخصية أو جواز السفر"),
            "fee_qar_or_omr": 50,
            "department": "equivalency",
        },
        {
            "code": "moehe-qualification-equivalency",
            "name_en": "Equivalency of a higher education qualification",
            "name_ar": "معادلة مؤهل علمي من التعليم العالي",
            "description_en": (
                "Equivalency of university degrees obtained abroad, needed for employment and "
                "professional licensing."
            ),
            "description_ar": (
                "معادلة الشهادات الجامعية الصادرة من الخارج، وهي مطلوبة للتوظيف والترخيص المهني."
            ),
            "procedure_en": (
                "Create an account on the equivalency e-service.",
                "Upload the degree, transcripts and proof of residence during the study period.",
                "Pay the fee.",
                "Follow the request online; the committee's decision is sent by e-mail.",
            ),
            "procedure_ar": (
                "إنشاء حساب في الخدمة الإلكترونية لمعادلة الشهادات.",
                "رفع الشهادة وكشف الدرجات وما يثبت الإقامة في بلد الدراسة خلال مدتها.",
                "سداد الرسوم.",
                "متابعة الطلب إلكترونياً، ويصل قرار اللجنة بالبريد الإلكتروني.",
            ),
            "documents_en": (
                "Degree certificate attested in the country of study",
                "Academic transcripts",
                "Passport pages with entry and exit stamps",
            ),
            "documents_ar": (
                "الشهادة مصدقة من بلد الدراسة",
                "كشوف الدرجات",
                "صفحات جواز السفر التي تحمل أختام الدخول والخروج",
            ),
            "fee_qar_or_omr": 200,
            "department": "equivalency",
        },
        {
            "code": "moehe-scholarship",
            "name_en": "Apply for a government scholarship",
            "name_ar": "التقدم للبعثات الحكومية",
            "description_en": (
                "Scholarships for Qatari secondary school graduates to study at approved "
                "universities in Qatar or abroad."
            ),
            "description_ar": (
                "بعثات لخريجي الثانوية العامة من القطريين للدراسة في الجامعات المعتمدة داخل "
                "دولة قطر أو خارجها."
            ),
            "procedure_en": (
                "Check the list of approved universities and specialisations.",
                "Apply online during the scholarship application period.",
                "Attend the interview if invited.",
                "Sign the scholarship contract after acceptance.",
            ),
            "procedure_ar": (
                "الاطلاع على قائمة الجامعات والتخصصات المعتمدة.",
                "التقدم إلكترونياً خلال فترة استقبال طلبات البعثات.",
                "حضور المقابلة الشخصية عند استدعائه.",
                "توقيع عقد البعثة بعد القبول.",
            ),
            "documents_en": (
                "Secondary school certificate",
                "University admission letter",
                "Qatar ID",
            ),
            "documents_ar": ("شهادة الثانوية العامة", "خطاب القبول الجامعي", "البطاقة الشخصية"),
            "fee_qar_or_omr": None,
            "department": "scholarships",
        },
        {
            "code": "moehe-exam-results",
            "name_en": "Secondary school results and re-sit exams",
            "name_ar": "نتائج الثانوية العامة وامتحانات الدور الثاني",
            "description_en": (
                "Inquiries about results, grade reviews and registration for the second-round "
                "exams."
            ),
            "description_ar": (
                "الاستفسار عن النتائج وطلب مراجعة الدرجات والتسجيل لامتحانات الدور الثاني."
            ),
            "procedure_en": (
                "View the result on the ministry's portal with the student's seat number.",
                "Submit a grade review request within the announced period if needed.",
                "Register for the second-round exams on the portal.",
            ),
            "procedure_ar": (
                "الاطلاع على النتيجة عبر بوابة الوزارة برقم جلوس الطالب.",
                "تقديم طلب مراجعة الدرجات خلال المدة المعلنة عند الحاجة.",
                "التسجيل لامتحانات الدور الثاني عبر البوابة.",
            ),
            "documents_en": ("Seat number", "Qatar ID of the student"),
            "documents_ar": ("رقم الجلوس", "البطاقة الشخصية للطالب"),
            "fee_qar_or_omr": None,
            "department": "assessment",
        },
        {
            "code": "moehe-private-school-complaint",
            "name_en": "Complaint about a private school",
            "name_ar": "شكوى بشأن مدرسة خاصة",
            "description_en": (
                "Complaints about fee increases, refunds, transport or treatment of students in "
                "private schools and kindergartens."
            ),
            "description_ar": (
                "الشكاوى المتعلقة بزيادة الرسوم أو استردادها أو النقل المدرسي أو معاملة الطلبة "
                "في المدارس ورياض الأطفال الخاصة."
            ),
            "procedure_en": (
                "Raise the matter with the school administration first.",
                "If unresolved, submit the complaint by phone or on the ministry's portal.",
                "Attach the school's reply, invoices or receipts.",
                "The licensing department reviews it and replies within the set time.",
            ),
            "procedure_ar": (
                "مخاطبة إدارة المدرسة أولاً.",
                "في حال عدم الحل تقديم الشكوى هاتفياً أو عبر بوابة الوزارة.",
                "إرفاق رد المدرسة أو الفواتير أو الإيصالات.",
                "تدرس إدارة التراخيص التعليمية الشكوى وترد خلال المدة المحددة.",
            ),
            "documents_en": ("Qatar ID of the guardian", "Fee invoices or receipts"),
            "documents_ar": ("البطاقة الشخصية لولي الأمر", "فواتير الرسوم أو الإيصالات"),
            "fee_qar_or_omr": None,
            "department": "educational-licensing",
        },
    ),
}

_MOCI: Entity = {
    "code": "moci",
    "name_en": "Ministry of Commerce and Industry",
    "name_ar": "وزارة التجارة والصناعة",
    "description_en": (
        "Registers companies and commercial activities, issues commercial licences, protects "
        "consumers and supports industry."
    ),
    "description_ar": (
        "تسجّل الشركات والأنشطة التجارية، وتصدر الرخص التجارية، وتتولى حماية المستهلك "
        "ودعم القطاع الصناعي."
    ),
    **_QA,
    "departments": (
        {
            "code": "commercial-registration",
            "name_en": "Commercial Registration and Licensing",
            "name_ar": "السجل التجاري والتراخيص التجارية",
        },
        {
            "code": "consumer-protection",
            "name_en": "Consumer Protection and Combating Commercial Fraud",
            "name_ar": "إدارة حماية المستهلك ومكافحة الغش التجاري",
        },
        {
            "code": "intellectual-property",
            "name_en": "Intellectual Property Protection",
            "name_ar": "حماية الملكية الفكرية",
        },
        {
            "code": "industrial-development",
            "name_en": "Industrial Development",
            "name_ar": "التنمية الصناعية",
        },
    ),
    "services": (
        {
            "code": "moci-cr-issue",
            "name_en": "Issue a commercial registration",
            "name_ar": "إصدار سجل تجاري",
            "description_en": (
                "Commercial registration for an individual establishment or a company."
            ),
            "description_ar": "إصدار السجل التجاري لمؤسسة فردية أو شركة.",
            "procedure_en": (
                "Reserve a trade name on the Single Window portal.",
                "Choose the legal form and the commercial activities.",
                "Upload the documents and sign the articles of association electronically.",
                "Pay the fees and download the commercial registration.",
            ),
            "procedure_ar": (
                "حجز الاسم التجاري عبر بوابة النافذة الواحدة.",
                "اختيار الشكل القانوني والأنشطة التجارية.",
                "رفع المستندات وتوقيع عقد التأسيس إلكترونياً.",
                "سداد الرسوم وتنزيل السجل التجاري.",
            ),
            "documents_en": (
                "Qatar IDs or passports of the owners",
                "Articles of association for companies",
                "Lease contract of the premises",
            ),
            "documents_ar": (
                "البطاقات الشخصية أو جوازات سفر الملاك",
                "عقد التأسيس للشركات",
                "عقد إيجار المقر",
            ),
            "fee_qar_or_omr": 500,
            "department": "commercial-registration",
        },
        {
            "code": "moci-cr-renewal",
            "name_en": "Renew a commercial registration",
            "name_ar": "تجديد السجل التجاري",
            "description_en": "Annual renewal of a commercial registration before it expires.",
            "description_ar": "التجديد السنوي للسجل التجاري قبل انتهاء صلاحيته.",
            "procedure_en": (
                "Log in to the ministry's e-services with the National Authentication System.",
                "Select the commercial registration and the renewal period.",
                "Pay the renewal fee and print the renewed registration.",
            ),
            "procedure_ar": (
                "الدخول إلى الخدمات الإلكترونية للوزارة عبر نظام التوثيق الوطني.",
                "اختيار السجل التجاري ومدة التجديد.",
                "سداد رسوم التجديد وطباعة السجل المجدد.",
            ),
            "documents_en": ("Commercial registration number", "Valid lease contract"),
            "documents_ar": ("رقم السجل التجاري", "عقد إيجار ساري المفعول"),
            "fee_qar_or_omr": 500,
            "department": "commercial-registration",
        },
        {
            "code": "moci-commercial-licence",
            "name_en": "Commercial licence for a shop or office",
            "name_ar": "رخصة تجارية لمحل أو مكتب",
            "description_en": "Licence to operate a commercial activity at a given address.",
            "description_ar": "ترخيص مزاولة النشاط التجاري في عنوان محدد.",
            "procedure_en": (
                "Apply on the Single Window portal with the commercial registration number.",
                "Attach the lease and the civil defence approval where required.",
                "Receive the inspection visit for activities that need one.",
                "Pay the fee and print the licence.",
            ),
            "procedure_ar": (
                "تقديم الطلب عبر بوابة النافذة الواحدة برقم السجل التجاري.",
                "إرفاق عقد الإيجار وموافقة الدفاع المدني عند اشتراطها.",
                "استقبال زيارة التفتيش للأنشطة التي تتطلبها.",
                "سداد الرسوم وطباعة الرخصة.",
            ),
            "documents_en": (
                "Commercial registration",
                "Lease contract",
                "Civil defence certificate",
            ),
            "documents_ar": ("السجل التجاري", "عقد الإيجار", "شهادة الدفاع المدني"),
            "fee_qar_or_omr": 300,
            "department": "commercial-registration",
        },
        {
            "code": "moci-trade-name",
            "name_en": "Reserve a trade name",
            "name_ar": "حجز اسم تجاري",
            "description_en": "Checking and reserving a trade name before registration.",
            "description_ar": "التحقق من توفر الاسم التجاري وحجزه قبل التسجيل.",
            "procedure_en": (
                "Search the proposed name in Arabic and English on the Single Window portal.",
                "Submit the reservation request.",
                "Pay the fee; the name is reserved for a limited period.",
            ),
            "procedure_ar": (
                "البحث عن الاسم المقترح باللغتين العربية والإنجليزية عبر بوابة النافذة الواحدة.",
                "تقديم طلب الحجز.",
                "سداد الرسوم، ويُحجز الاسم لمدة محددة.",
            ),
            "documents_en": ("Qatar ID of the applicant",),
            "documents_ar": ("البطاقة الشخصية لمقدم الطلب",),
            "fee_qar_or_omr": 100,
            "department": "commercial-registration",
        },
        {
            "code": "moci-consumer-complaint",
            "name_en": "Consumer complaint",
            "name_ar": "شكوى مستهلك",
            "description_en": (
                "Complaints about defective goods, warranties, refunds, after-sales service or "
                "misleading advertising."
            ),
            "description_ar": (
                "الشكاوى المتعلقة بالسلع المعيبة أو الضمان أو استرداد المبالغ أو خدمات ما بعد "
                "البيع أو الإعلانات المضللة."
            ),
            "procedure_en": (
                "Call 109, use the ministry's app or write to the consumer protection e-mail.",
                "Give the trader's name and address and describe the problem.",
                "Attach the invoice and photos of the product.",
                "Inspectors follow up with the trader and inform the consumer of the result.",
            ),
            "procedure_ar": (
                (
                    "الاتصال بالرقم 109 أو استخدام تطبيق الوزارة أو مراسلة البريد الإلكتروني "
                    "لحماية المستهلك."
                ),
                "ذكر اسم التاجر وعنوانه ووصف المشكلة.",
                "إرفاق الفاتورة وصور المنتج.",
                "يتابع المفتشون الموضوع مع التاجر ويبلغون المستهلك بالنتيجة.",
            ),
            "documents_en": ("Purchase invoice", "Warranty card if any", "Photos"),
            "documents_ar": ("فاتورة الشراء", "بطاقة الضمان إن وجدت", "صور"),
            "fee_qar_or_omr": None,
            "department": "consumer-protection",
        },
        {
            "code": "moci-price-violation-report",
            "name_en": "Report a price violation or a misleading offer",
            "name_ar": "الإبلاغ عن مخالفة في الأسعار أو عرض مضلل",
            "description_en": (
                "Reports of prices above the set price, missing price tags or fake discounts."
            ),
            "description_ar": (
                "البلاغات عن البيع بأعلى من السعر المحدد أو عدم وضع بطاقات الأسعار أو "
                "التخفيضات الوهمية."
            ),
            "procedure_en": (
                "Report by phone, app or social media with the shop's name and location.",
                "Attach a photo of the price or the receipt.",
                "An inspection team visits the shop and takes action.",
            ),
            "procedure_ar": (
                (
                    "تقديم البلاغ هاتفياً أو عبر التطبيق أو وسائل التواصل الاجتماعي مع اسم المحل "
                    "وموقعه."
                ),
                "إرفاق صورة للسعر أو الإيصال.",
                "يزور فريق التفتيش المحل ويتخذ الإجراء اللازم.",
            ),
            "documents_en": ("Receipt or photo of the price tag",),
            "documents_ar": ("الإيصال أو صورة بطاقة السعر",),
            "fee_qar_or_omr": None,
            "department": "consumer-protection",
        },
        {
            "code": "moci-trademark-registration",
            "name_en": "Register a trademark",
            "name_ar": "تسجيل علامة تجارية",
            "description_en": "Filing, publication and registration of a trademark in Qatar.",
            "description_ar": "إيداع العلامة التجارية ونشرها وتسجيلها في دولة قطر.",
            "procedure_en": (
                "Search the trademark register for similar marks.",
                "File the application with the mark and the classes of goods or services.",
                "The accepted mark is published for objections.",
                "Pay the registration fee and receive the certificate.",
            ),
            "procedure_ar": (
                "البحث في سجل العلامات التجارية عن العلامات المشابهة.",
                "إيداع الطلب مع صورة العلامة وفئات السلع أو الخدمات.",
                "تُنشر العلامة المقبولة لتلقي الاعتراضات.",
                "سداد رسوم التسجيل واستلام الشهادة.",
            ),
            "documents_en": (
                "Image of the mark",
                "Commercial registration or passport",
                "Power of attorney for agents",
            ),
            "documents_ar": (
                "صورة العلامة",
                "السجل التجاري أو جواز السفر",
                "توكيل في حال التقديم عن طريق وكيل",
            ),
            "fee_qar_or_omr": 1000,
            "department": "intellectual-property",
        },
        {
            "code": "moci-industrial-licence",
            "name_en": "Industrial licence",
            "name_ar": "الترخيص الصناعي",
            "description_en": "Licence to establish or expand a factory.",
            "description_ar": "ترخيص إقامة مصنع أو توسعته.",
            "procedure_en": (
                "Submit the preliminary application with the feasibility study.",
                "Obtain the environmental and civil defence approvals.",
                "Receive the inspection of the factory.",
                "Receive the industrial licence.",
            ),
            "procedure_ar": (
                "تقديم الطلب المبدئي مرفقاً بدراسة الجدوى.",
                "الحصول على الموافقات البيئية وموافقة الدفاع المدني.",
                "استقبال زيارة التفتيش على المصنع.",
                "استلام الترخيص الصناعي.",
            ),
            "documents_en": ("Commercial registration", "Feasibility study", "Site plan"),
            "documents_ar": ("السجل التجاري", "دراسة الجدوى", "مخطط الموقع"),
            "fee_qar_or_omr": None,
            "department": "industrial-development",
        },
    ),
}

# --------------------------------------------------------------------------------------------
# Entities — other Qatari government bodies on 109
# --------------------------------------------------------------------------------------------

_MOI: Entity = {
    "code": "moi",
    "name_en": "Ministry of Interior",
    "name_ar": "وزارة الداخلية",
    "description_en": (
        "Public security, traffic, passports and residence permits, civil defence and the "
        "Metrash2 app."
    ),
    "description_ar": (
        "تتولى الأمن العام والمرور والجوازات وتصاريح الإقامة والدفاع المدني وتطبيق مطراش2."
    ),
    **_QA,
    "departments": (
        {
            "code": "passports",
            "name_en": "General Directorate of Passports",
            "name_ar": "الإدارة العامة للجوازات",
        },
        {
            "code": "traffic",
            "name_en": "General Directorate of Traffic",
            "name_ar": "الإدارة العامة للمرور",
        },
        {
            "code": "e-services",
            "name_en": "E-Services (Metrash2)",
            "name_ar": "الخدمات الإلكترونية (مطراش2)",
        },
    ),
    "services": (
        {
            "code": "moi-residence-renewal",
            "name_en": "Renew a residence permit",
            "name_ar": "تجديد الإقامة",
            "description_en": "Renewal of the residence permit of an employee or a family member.",
            "description_ar": "تجديد إقامة الموظف أو أحد أفراد أسرته.",
            "procedure_en": (
                "Make sure the passport is valid for more than six months.",
                "Renew through Metrash2 or a government services centre.",
                "Pay the fee; the renewed Qatar ID is delivered by post.",
            ),
            "procedure_ar": (
                "التأكد من صلاحية جواز السفر لمدة تزيد على ستة أشهر.",
                "التجديد عبر تطبيق مطراش2 أو أحد مجمعات الخدمات الحكومية.",
                "سداد الرسوم، وتُسلَّم البطاقة الشخصية المجددة بالبريد.",
            ),
            "documents_en": ("Valid passport", "Valid health card", "Sponsor's approval"),
            "documents_ar": ("جواز سفر ساري", "بطاقة صحية سارية", "موافقة الكفيل"),
            "fee_qar_or_omr": 500,
            "department": "passports",
        },
        {
            "code": "moi-traffic-violations",
            "name_en": "Traffic violations inquiry and payment",
            "name_ar": "الاستعلام عن المخالفات المرورية وسدادها",
            "description_en": "Checking, objecting to and paying traffic violations.",
            "description_ar": "الاستعلام عن المخالفات المرورية والاعتراض عليها وسدادها.",
            "procedure_en": (
                "Open Metrash2 or the ministry's website and enter the Qatar ID or plate number.",
                "Review the violations and file an objection within the allowed period if needed.",
                "Pay online by bank card.",
            ),
            "procedure_ar": (
                "فتح تطبيق مطراش2 أو موقع الوزارة وإدخال رقم البطاقة الشخصية أو رقم اللوحة.",
                "مراجعة المخالفات وتقديم اعتراض خلال المدة المسموح بها عند الحاجة.",
                "السداد إلكترونياً بالبطاقة البنكية.",
            ),
            "documents_en": ("Qatar ID or vehicle plate number",),
            "documents_ar": ("رقم البطاقة الشخصية أو رقم لوحة المركبة",),
            "fee_qar_or_omr": None,
            "department": "traffic",
        },
        {
            "code": "moi-metrash-support",
            "name_en": "Metrash2 account support",
            "name_ar": "الدعم الفني لحساب مطراش2",
            "description_en": "Registration, login and payment problems in the Metrash2 app.",
            "description_ar": "مشكلات التسجيل والدخول والدفع في تطبيق مطراش2.",
            "procedure_en": (
                "Update the app to the latest version.",
                "Check that the mobile number registered with the ministry is correct.",
                "If the problem remains, call 109 with the Qatar ID and a screenshot of the error.",
            ),
            "procedure_ar": (
                "تحديث التطبيق إلى أحدث إصدار.",
                "التأكد من صحة رقم الجوال المسجل لدى الوزارة.",
                "إذا استمرت المشكلة يُتصل بالرقم 109 مع رقم البطاقة الشخصية وصورة لرسالة الخطأ.",
            ),
            "documents_en": ("Qatar ID", "Screenshot of the error"),
            "documents_ar": ("البطاقة الشخصية القطرية", "صورة لرسالة الخطأ"),
            "fee_qar_or_omr": None,
            "department": "e-services",
        },
    ),
}

_MM: Entity = {
    "code": "mm",
    "name_en": "Ministry of Municipality",
    "name_ar": "وزارة البلدية",
    "description_en": (
        "Municipal services in Qatar: building permits, public cleanliness, food safety in "
        "shops, parks, agriculture and fisheries."
    ),
    "description_ar": (
        "تقدّم الخدمات البلدية في دولة قطر، ومنها تراخيص البناء والنظافة العامة وسلامة "
        "الأغذية في المحلات والحدائق والزراعة والثروة السمكية."
    ),
    **_QA,
    "departments": (
        {
            "code": "building-permits",
            "name_en": "Building Permits",
            "name_ar": "تراخيص البناء",
        },
        {
            "code": "public-cleanliness",
            "name_en": "General Cleanliness",
            "name_ar": "إدارة النظافة العامة",
        },
        {"code": "food-safety", "name_en": "Food Safety", "name_ar": "إدارة سلامة الأغذية"},
    ),
    "services": (
        {
            "code": "mm-building-permit",
            "name_en": "Building permit",
            "name_ar": "رخصة بناء",
            "description_en": "Permit to build, extend or demolish a building.",
            "description_ar": "ترخيص بناء مبنى أو توسعته أو هدمه.",
            "procedure_en": (
                (
                    "A licensed engineering office submits the drawings on the building permits "
                    "system."
                ),
                "The service authorities review and approve the drawings.",
                "Pay the permit fee.",
                "Download the building permit and display it on site.",
            ),
            "procedure_ar": (
                "يقدّم مكتب هندسي معتمد المخططات عبر نظام تراخيص البناء.",
                "تدرس جهات الخدمات المخططات وتعتمدها.",
                "سداد رسوم الرخصة.",
                "تنزيل رخصة البناء ووضعها في موقع العمل.",
            ),
            "documents_en": ("Title deed", "Architectural and structural drawings", "Site survey"),
            "documents_ar": (
                "سند الملكية",
                "المخططات المعمارية والإنشائية",
                "الرفع المساحي للموقع",
            ),
            "fee_qar_or_omr": None,
            "department": "building-permits",
        },
        {
            "code": "mm-waste-report",
            "name_en": "Report uncollected waste",
            "name_ar": "الإبلاغ عن تراكم النفايات",
            "description_en": "Reports of full containers, waste not collected or illegal dumping.",
            "description_ar": (
                "البلاغات عن امتلاء الحاويات أو عدم جمع النفايات أو إلقائها عشوائياً."
            ),
            "procedure_en": (
                "Report through 109, the Aoun app or social media.",
                "Give the location (zone, street and building number) and a photo.",
                "The cleanliness team handles the report and closes it with a photo.",
            ),
            "procedure_ar": (
                "تقديم البلاغ عبر الرقم 109 أو تطبيق عون أو وسائل التواصل الاجتماعي.",
                "تحديد الموقع (المنطقة والشارع ورقم المبنى) مع صورة.",
                "يعالج فريق النظافة البلاغ ويغلقه مع صورة بعد المعالجة.",
            ),
            "documents_en": ("Photo and location",),
            "documents_ar": ("صورة وموقع",),
            "fee_qar_or_omr": None,
            "department": "public-cleanliness",
        },
        {
            "code": "mm-food-hygiene-complaint",
            "name_en": "Complaint about food hygiene in a shop or restaurant",
            "name_ar": "شكوى بشأن نظافة الأغذية في محل أو مطعم",
            "description_en": "Complaints about spoiled food, poor hygiene or food poisoning.",
            "description_ar": (
                "الشكاوى المتعلقة بالأغذية الفاسدة أو سوء النظافة أو حالات التسمم الغذائي."
            ),
            "procedure_en": (
                "Report by phone or app with the name and address of the shop.",
                "Keep the receipt and a sample or photo of the food.",
                "Food inspectors visit the shop and take samples.",
                "The complainant is informed of the action taken.",
            ),
            "procedure_ar": (
                "تقديم البلاغ هاتفياً أو عبر التطبيق مع اسم المحل وعنوانه.",
                "الاحتفاظ بالإيصال وعينة أو صورة من الطعام.",
                "يزور مفتشو الأغذية المحل ويأخذون العينات.",
                "يُبلَّغ صاحب الشكوى بالإجراء المتخذ.",
            ),
            "documents_en": ("Receipt", "Photo of the food"),
            "documents_ar": ("الإيصال", "صورة الطعام"),
            "fee_qar_or_omr": None,
            "department": "food-safety",
        },
    ),
}

_CUSTOMS: Entity = {
    "code": "customs",
    "name_en": "General Authority of Customs",
    "name_ar": "الهيئة العامة للجمارك",
    "description_en": (
        "Customs clearance at Qatar's ports through the Al Nadeeb system, passenger allowances "
        "and the fight against smuggling."
    ),
    "description_ar": (
        "تتولى التخليص الجمركي في منافذ الدولة عبر نظام النديب، وتحدد المسموحات الجمركية "
        "للمسافرين، وتكافح التهريب."
    ),
    **_QA,
    "departments": (
        {"code": "clearance", "name_en": "Customs Clearance", "name_ar": "التخليص الجمركي"},
        {"code": "passengers", "name_en": "Passenger Customs", "name_ar": "جمارك المسافرين"},
        {"code": "nadeeb-support", "name_en": "Al Nadeeb Support", "name_ar": "دعم نظام النديب"},
    ),
    "services": (
        {
            "code": "customs-declaration",
            "name_en": "Customs declaration and clearance",
            "name_ar": "البيان الجمركي والتخليص",
            "description_en": "Declaring and clearing imported goods at sea, air and land ports.",
            "description_ar": (
                "تقديم البيان الجمركي للبضائع المستوردة وتخليصها في المنافذ البحرية والجوية "
                "والبرية."
            ),
            "procedure_en": (
                "The clearing agent submits the declaration on Al Nadeeb.",
                "Pay the duties and fees electronically.",
                "Inspect the goods if the system selects them.",
                "Receive the release order.",
            ),
            "procedure_ar": (
                "يقدّم المخلص الجمركي البيان عبر نظام النديب.",
                "سداد الرسوم الجمركية إلكترونياً.",
                "معاينة البضائع إذا اختارها النظام للفحص.",
                "استلام إذن الإفراج.",
            ),
            "documents_en": (
                "Commercial invoice",
                "Bill of lading or airway bill",
                "Certificate of origin",
            ),
            "documents_ar": ("الفاتورة التجارية", "بوليصة الشحن", "شهادة المنشأ"),
            "fee_qar_or_omr": None,
            "department": "clearance",
        },
        {
            "code": "customs-passenger-allowance",
            "name_en": "Passenger allowances and cash declaration",
            "name_ar": "المسموحات الجمركية للمسافرين والإفصاح عن الأموال",
            "description_en": (
                "What a traveller may bring duty free and when cash or gold must be declared."
            ),
            "description_ar": (
                "ما يحق للمسافر إدخاله معفى من الرسوم، ومتى يجب الإفصاح عن الأموال النقدية أو "
                "الذهب."
            ),
            "procedure_en": (
                "Check the allowance for the goods on the authority's website or by calling 184.",
                "Declare cash above the threshold on arrival.",
                "Pay the duty at the passenger customs counter for goods above the allowance.",
            ),
            "procedure_ar": (
                "الاطلاع على المسموحات عبر موقع الهيئة أو بالاتصال بالرقم 184.",
                "الإفصاح عند الوصول عن الأموال النقدية التي تتجاوز الحد المقرر.",
                "سداد الرسوم في مكتب جمارك المسافرين للبضائع التي تتجاوز المسموحات.",
            ),
            "documents_en": ("Passport", "Purchase invoices"),
            "documents_ar": ("جواز السفر", "فواتير الشراء"),
            "fee_qar_or_omr": None,
            "department": "passengers",
        },
    ),
}

_QPOST: Entity = {
    "code": "qpost",
    "name_en": "Qatar Post",
    "name_ar": "بريد قطر",
    "description_en": (
        "National postal operator: parcels, P.O. boxes, tracking and home delivery of "
        "government documents."
    ),
    "description_ar": (
        "المشغّل الوطني للبريد: الطرود وصناديق البريد وتتبع المراسلات وتوصيل الوثائق "
        "الحكومية إلى المنازل."
    ),
    **_QA,
    "departments": (
        {"code": "parcels", "name_en": "Parcels and Tracking", "name_ar": "الطرود والتتبع"},
        {"code": "po-boxes", "name_en": "P.O. Boxes", "name_ar": "صناديق البريد"},
    ),
    "services": (
        {
            "code": "qpost-parcel-tracking",
            "name_en": "Track a parcel",
            "name_ar": "تتبع طرد بريدي",
            "description_en": "Tracking of parcels and registered mail, and redelivery requests.",
            "description_ar": "تتبع الطرود والبريد المسجل وطلب إعادة التوصيل.",
            "procedure_en": (
                "Enter the tracking number on the Qatar Post website.",
                "Check the last event and the delivery office.",
                "Request redelivery or collect the parcel from the office.",
            ),
            "procedure_ar": (
                "إدخال رقم التتبع في موقع بريد قطر.",
                "الاطلاع على آخر حالة للطرد ومكتب التسليم.",
                "طلب إعادة التوصيل أو استلام الطرد من المكتب.",
            ),
            "documents_en": ("Tracking number", "Qatar ID to collect the parcel"),
            "documents_ar": ("رقم التتبع", "البطاقة الشخصية عند الاستلام"),
            "fee_qar_or_omr": None,
            "department": "parcels",
        },
    ),
}

_KAHRAMAA: Entity = {
    "code": "kahramaa",
    "name_en": "Qatar General Electricity and Water Corporation (Kahramaa)",
    "name_ar": "المؤسسة العامة القطرية للكهرباء والماء (كهرماء)",
    "description_en": (
        "Transmits and distributes electricity and water: connections, bills, faults and the "
        "Tarsheed conservation programme."
    ),
    "description_ar": (
        "تتولى نقل الكهرباء والماء وتوزيعهما، وتقدّم خدمات التوصيل والفواتير ومعالجة "
        "الأعطال وبرنامج ترشيد."
    ),
    **_QA,
    "departments": (
        {"code": "customer-service", "name_en": "Customer Service", "name_ar": "خدمة العملاء"},
        {"code": "emergency", "name_en": "Emergency and Faults", "name_ar": "الطوارئ والأعطال"},
    ),
    "services": (
        {
            "code": "kahramaa-bill",
            "name_en": "Bill inquiry and payment",
            "name_ar": "الاستعلام عن الفاتورة وسدادها",
            "description_en": "Electricity and water bills: amounts, disputes and payment.",
            "description_ar": "فواتير الكهرباء والماء: المبالغ والاعتراضات وطرق السداد.",
            "procedure_en": (
                "Enter the account (premise) number on the Kahramaa app or website.",
                "Review the bill and the meter readings.",
                "Pay online or ask for a reading review if the bill looks wrong.",
            ),
            "procedure_ar": (
                "إدخال رقم الحساب في تطبيق كهرماء أو موقعها الإلكتروني.",
                "مراجعة الفاتورة وقراءات العداد.",
                "السداد إلكترونياً أو طلب مراجعة القراءة إذا بدت الفاتورة غير صحيحة.",
            ),
            "documents_en": ("Account number",),
            "documents_ar": ("رقم الحساب",),
            "fee_qar_or_omr": None,
            "department": "customer-service",
        },
        {
            "code": "kahramaa-fault-report",
            "name_en": "Report a power cut or a water leak",
            "name_ar": "الإبلاغ عن انقطاع الكهرباء أو تسرب المياه",
            "description_en": (
                "Emergency reports of outages, damaged cables or leaking water mains."
            ),
            "description_ar": (
                "البلاغات الطارئة عن انقطاع التيار أو تلف الكابلات أو تسرب المياه من الشبكة."
            ),
            "procedure_en": (
                "Call the emergency number or 109 and give the location.",
                "Describe the fault and whether there is any danger.",
                "The emergency team is dispatched and the caller receives an SMS when it is fixed.",
            ),
            "procedure_ar": (
                "الاتصال برقم الطوارئ أو بالرقم 109 وتحديد الموقع.",
                "وصف العطل وما إذا كان يشكل خطراً.",
                "يُرسل فريق الطوارئ، ويتلقى المتصل رسالة نصية عند إصلاح العطل.",
            ),
            "documents_en": ("Location and account number if known",),
            "documents_ar": ("الموقع ورقم الحساب إن وجد",),
            "fee_qar_or_omr": None,
            "department": "emergency",
        },
    ),
}

_MOL: Entity = {
    "code": "mol",
    "name_en": "Ministry of Labour",
    "name_ar": "وزارة العمل",
    "description_en": (
        "Regulates the labour market: work permits, recruitment, labour disputes and the "
        "protection of workers."
    ),
    "description_ar": (
        "تنظّم سوق العمل، بما في ذلك تصاريح العمل والاستقدام والمنازعات العمالية وحماية العمال."
    ),
    **_QA,
    "departments": (
        {
            "code": "labour-relations",
            "name_en": "Labour Relations",
            "name_ar": "إدارة علاقات العمل",
        },
        {
            "code": "labour-inspection",
            "name_en": "Labour Inspection",
            "name_ar": "إدارة تفتيش العمل",
        },
    ),
    "services": (
        {
            "code": "mol-labour-complaint",
            "name_en": "Labour complaint",
            "name_ar": "شكوى عمالية",
            "description_en": (
                "Complaints about unpaid wages, end-of-service benefits, leave or contract "
                "breaches."
            ),
            "description_ar": (
                "الشكاوى المتعلقة بتأخر الأجور أو مكافأة نهاية الخدمة أو الإجازات أو مخالفة عقد "
                "العمل."
            ),
            "procedure_en": (
                "Submit the complaint on the ministry's portal or app, in the worker's language.",
                "Give the employer's name and the details of the claim.",
                "The labour relations department tries to settle the dispute amicably.",
                (
                    "If no settlement is reached, the case goes to the Labour Disputes Settlement "
                    "Committee."
                ),
            ),
            "procedure_ar": (
                "تقديم الشكوى عبر بوابة الوزارة أو تطبيقها بلغة العامل.",
                "ذكر اسم صاحب العمل وتفاصيل المطالبة.",
                "تسعى إدارة علاقات العمل إلى تسوية النزاع ودياً.",
                "إذا تعذرت التسوية تُحال الشكوى إلى لجنة فض المنازعات العمالية.",
            ),
            "documents_en": ("Qatar ID", "Employment contract", "Salary slips or bank statements"),
            "documents_ar": ("البطاقة الشخصية", "عقد العمل", "كشوف الرواتب أو كشف الحساب البنكي"),
            "fee_qar_or_omr": None,
            "department": "labour-relations",
        },
        {
            "code": "mol-midday-work-ban-report",
            "name_en": "Report a breach of the summer midday work ban",
            "name_ar": "الإبلاغ عن مخالفة حظر العمل وقت الظهيرة في الصيف",
            "description_en": (
                "Reports of work in open areas during the summer midday hours when it is forbidden."
            ),
            "description_ar": (
                "البلاغات عن تشغيل العمال في الأماكن المكشوفة خلال ساعات الظهيرة المحظورة صيفاً."
            ),
            "procedure_en": (
                "Report by phone or app with the site location and the time.",
                "Attach a photo if it is safe to take one.",
                "Labour inspectors visit the site and take action against the employer.",
            ),
            "procedure_ar": (
                "تقديم البلاغ هاتفياً أو عبر التطبيق مع موقع العمل والوقت.",
                "إرفاق صورة إن أمكن ذلك بأمان.",
                "يزور مفتشو العمل الموقع ويتخذون الإجراء اللازم بحق صاحب العمل.",
            ),
            "documents_en": ("Location of the site",),
            "documents_ar": ("موقع العمل",),
            "fee_qar_or_omr": None,
            "department": "labour-inspection",
        },
    ),
}

_MOJ: Entity = {
    "code": "moj",
    "name_en": "Ministry of Justice",
    "name_ar": "وزارة العدل",
    "description_en": "Real estate registration, notarial documentation and legal experts.",
    "description_ar": "تتولى التسجيل العقاري والتوثيقات الرسمية وشؤون الخبراء.",
    **_QA,
    "departments": (
        {
            "code": "real-estate-registration",
            "name_en": "Real Estate Registration",
            "name_ar": "إدارة التسجيل العقاري",
        },
        {"code": "documentation", "name_en": "Documentation", "name_ar": "إدارة التوثيقات"},
    ),
    "services": (
        {
            "code": "moj-power-of-attorney",
            "name_en": "Authenticate a power of attorney",
            "name_ar": "توثيق وكالة",
            "description_en": "General or special power of attorney authenticated by a notary.",
            "description_ar": "توثيق وكالة عامة أو خاصة لدى الموثق.",
            "procedure_en": (
                "Book an appointment on the ministry's e-services or use a self-service kiosk.",
                "The principal attends with identification and the agent's details.",
                "Pay the fee and receive the authenticated power of attorney.",
            ),
            "procedure_ar": (
                "حجز موعد عبر الخدمات الإلكترونية للوزارة أو استخدام أجهزة الخدمة الذاتية.",
                "حضور الموكِّل بإثبات الهوية مع بيانات الوكيل.",
                "سداد الرسوم واستلام الوكالة الموثقة.",
            ),
            "documents_en": ("Qatar ID of the principal", "Qatar ID or passport of the agent"),
            "documents_ar": ("البطاقة الشخصية للموكِّل", "البطاقة الشخصية أو جواز سفر الوكيل"),
            "fee_qar_or_omr": 50,
            "department": "documentation",
        },
    ),
}

_ASHGHAL: Entity = {
    "code": "ashghal",
    "name_en": "Public Works Authority (Ashghal)",
    "name_ar": "هيئة الأشغال العامة (أشغال)",
    "description_en": (
        "Builds and maintains roads, drainage networks and public buildings; handles reports "
        "about roads, street lighting, sewage and rainwater."
    ),
    "description_ar": (
        "تتولى إنشاء الطرق وشبكات الصرف والمباني العامة وصيانتها، وتستقبل البلاغات المتعلقة "
        "بالطرق والإنارة والصرف الصحي ومياه الأمطار."
    ),
    **_QA,
    "departments": (
        {"code": "road-maintenance", "name_en": "Road Maintenance", "name_ar": "صيانة الطرق"},
        {"code": "drainage", "name_en": "Drainage Networks", "name_ar": "شبكات الصرف"},
        {"code": "street-lighting", "name_en": "Street Lighting", "name_ar": "الإنارة العامة"},
    ),
    "services": (
        {
            "code": "ashghal-road-report",
            "name_en": "Report road damage or a street light out",
            "name_ar": "الإبلاغ عن تلف في الطريق أو عطل في إنارة الشوارع",
            "description_en": "Potholes, damaged kerbs, missing manhole covers and lights out.",
            "description_ar": "الحفر وتلف الأرصفة وأغطية المناهل المفقودة وأعمدة الإنارة المعطلة.",
            "procedure_en": (
                "Report through 109 or the Ashghal app.",
                "Mark the location on the map or give the zone, street and building number.",
                "The maintenance team repairs the fault and closes the report.",
            ),
            "procedure_ar": (
                "تقديم البلاغ عبر الرقم 109 أو تطبيق أشغال.",
                "تحديد الموقع على الخريطة أو ذكر رقم المنطقة والشارع والمبنى.",
                "يصلح فريق الصيانة العطل ويغلق البلاغ.",
            ),
            "documents_en": ("Photo and location",),
            "documents_ar": ("صورة وموقع",),
            "fee_qar_or_omr": None,
            "department": "road-maintenance",
        },
        {
            "code": "ashghal-sewage-rainwater-report",
            "name_en": "Report a sewage overflow or rainwater pooling",
            "name_ar": "الإبلاغ عن طفح الصرف الصحي أو تجمع مياه الأمطار",
            "description_en": "Overflowing manholes, bad smells and flooded streets after rain.",
            "description_ar": "طفح المناهل والروائح الكريهة وغمر الشوارع بالمياه بعد الأمطار.",
            "procedure_en": (
                "Report through 109 or the Ashghal app with the location.",
                "Say whether homes or traffic are affected.",
                "A tanker or maintenance crew is dispatched according to priority.",
            ),
            "procedure_ar": (
                "تقديم البلاغ عبر الرقم 109 أو تطبيق أشغال مع تحديد الموقع.",
                "توضيح ما إذا كانت المنازل أو حركة المرور متأثرة.",
                "يُرسل صهريج شفط أو فريق صيانة حسب الأولوية.",
            ),
            "documents_en": ("Photo and location",),
            "documents_ar": ("صورة وموقع",),
            "fee_qar_or_omr": None,
            "department": "drainage",
        },
    ),
}

_QT: Entity = {
    "code": "qt",
    "name_en": "Qatar Tourism",
    "name_ar": "قطر للسياحة",
    "description_en": "Promotes tourism and licenses hotels, tour operators and tourism events.",
    "description_ar": "تروّج للسياحة وتصدر تراخيص الفنادق ومنظمي الرحلات والفعاليات السياحية.",
    **_QA,
    "departments": (
        {
            "code": "tourism-licensing",
            "name_en": "Tourism Licensing",
            "name_ar": "التراخيص السياحية",
        },
        {"code": "visitor-services", "name_en": "Visitor Services", "name_ar": "خدمات الزوار"},
    ),
    "services": (
        {
            "code": "qt-hotel-licence",
            "name_en": "Licence for a hotel or holiday home",
            "name_ar": "ترخيص فندق أو بيت عطلات",
            "description_en": (
                "Classification and licensing of hotels, apartments and holiday homes."
            ),
            "description_ar": "تصنيف الفنادق والشقق الفندقية وبيوت العطلات وترخيصها.",
            "procedure_en": (
                "Apply on the Qatar Tourism licensing portal.",
                "Upload the commercial registration and the property documents.",
                "Receive the inspection visit and pay the licence fee.",
            ),
            "procedure_ar": (
                "تقديم الطلب عبر بوابة التراخيص في قطر للسياحة.",
                "رفع السجل التجاري ومستندات العقار.",
                "استقبال زيارة التفتيش وسداد رسوم الترخيص.",
            ),
            "documents_en": (
                "Commercial registration",
                "Title deed or lease",
                "Civil defence certificate",
            ),
            "documents_ar": ("السجل التجاري", "سند الملكية أو عقد الإيجار", "شهادة الدفاع المدني"),
            "fee_qar_or_omr": None,
            "department": "tourism-licensing",
        },
    ),
}

_MCIT: Entity = {
    "code": "mcit",
    "name_en": "Ministry of Communications and Information Technology",
    "name_ar": "وزارة الاتصالات وتكنولوجيا المعلومات",
    "description_en": (
        "Digital government (the Hukoomi portal, the National Authentication System) and the "
        "government contact center."
    ),
    "description_ar": (
        "تتولى الحكومة الرقمية (بوابة حكومي ونظام التوثيق الوطني) ومركز الاتصال الحكومي."
    ),
    **_QA,
    "departments": (
        {
            "code": "digital-government",
            "name_en": "Digital Government",
            "name_ar": "الحكومة الرقمية",
        },
        {
            "code": "national-authentication",
            "name_en": "National Authentication System",
            "name_ar": "نظام التوثيق الوطني",
        },
    ),
    "services": (
        {
            "code": "mcit-nas-account",
            "name_en": "National Authentication System account support",
            "name_ar": "دعم حساب نظام التوثيق الوطني",
            "description_en": (
                "Creating an account, resetting a password and unlocking the single sign-on used "
                "by government e-services."
            ),
            "description_ar": (
                "إنشاء الحساب وإعادة تعيين كلمة المرور وفك قفل الحساب الموحد المستخدم في "
                "الخدمات الحكومية الإلكترونية."
            ),
            "procedure_en": (
                "Choose 'forgot password' on the login page and enter the Qatar ID number.",
                "Enter the one-time code sent to the registered mobile number.",
                "If the mobile number has changed, call 109 to verify identity and update it.",
            ),
            "procedure_ar": (
                "اختيار «نسيت كلمة المرور» في صفحة الدخول وإدخال رقم البطاقة الشخصية.",
                "إدخال الرمز المؤقت المرسل إلى رقم الجوال المسجل.",
                "إذا تغيّر رقم الجوال يُتصل بالرقم 109 للتحقق من الهوية وتحديثه.",
            ),
            "documents_en": ("Qatar ID",),
            "documents_ar": ("البطاقة الشخصية القطرية",),
            "fee_qar_or_omr": None,
            "department": "national-authentication",
        },
    ),
}

_MOT: Entity = {
    "code": "mot",
    "name_en": "Ministry of Transport",
    "name_ar": "وزارة المواصلات",
    "description_en": (
        "Land, maritime and air transport policy; licensing of limousine companies, boats and "
        "maritime activities."
    ),
    "description_ar": (
        "ترسم سياسات النقل البري والبحري والجوي، وتصدر تراخيص شركات الليموزين والقوارب "
        "والأنشطة البحرية."
    ),
    **_QA,
    "departments": (
        {"code": "land-transport", "name_en": "Land Transport", "name_ar": "النقل البري"},
        {"code": "maritime-affairs", "name_en": "Maritime Affairs", "name_ar": "الشؤون البحرية"},
    ),
    "services": (
        {
            "code": "mot-boat-licence",
            "name_en": "Licence for a pleasure boat or jet ski",
            "name_ar": "ترخيص قارب نزهة أو دراجة مائية",
            "description_en": "Registration and yearly licensing of private pleasure craft.",
            "description_ar": "تسجيل وسائل النزهة البحرية الخاصة وترخيصها سنوياً.",
            "procedure_en": (
                "Apply on the ministry's e-services with the ownership documents.",
                "Book the technical inspection of the boat.",
                "Pay the fee and receive the licence and the registration number.",
            ),
            "procedure_ar": (
                "تقديم الطلب عبر الخدمات الإلكترونية للوزارة مع مستندات الملكية.",
                "حجز موعد للفحص الفني للقارب.",
                "سداد الرسوم واستلام الترخيص ورقم التسجيل.",
            ),
            "documents_en": ("Proof of ownership", "Insurance policy", "Qatar ID"),
            "documents_ar": ("إثبات الملكية", "وثيقة التأمين", "البطاقة الشخصية"),
            "fee_qar_or_omr": 200,
            "department": "maritime-affairs",
        },
    ),
}

_MSDF: Entity = {
    "code": "msdf",
    "name_en": "Ministry of Social Development and Family",
    "name_ar": "وزارة التنمية الاجتماعية والأسرة",
    "description_en": (
        "Social security, family support, persons with disabilities and civil society associations."
    ),
    "description_ar": (
        "تتولى الضمان الاجتماعي ودعم الأسرة ورعاية الأشخاص ذوي الإعاقة وشؤون الجمعيات "
        "والمؤسسات الخاصة."
    ),
    **_QA,
    "departments": (
        {
            "code": "social-security",
            "name_en": "Social Security",
            "name_ar": "إدارة الضمان الاجتماعي",
        },
        {"code": "family-affairs", "name_en": "Family Affairs", "name_ar": "إدارة شؤون الأسرة"},
    ),
    "services": (
        {
            "code": "msdf-social-security",
            "name_en": "Apply for a social security pension",
            "name_ar": "طلب معاش الضمان الاجتماعي",
            "description_en": (
                "Monthly pension for eligible Qatari families, widows, orphans, the elderly and "
                "persons with disabilities."
            ),
            "description_ar": (
                "معاش شهري للمستحقين من الأسر القطرية والأرامل والأيتام وكبار السن والأشخاص ذوي "
                "الإعاقة."
            ),
            "procedure_en": (
                "Submit the application on the ministry's e-services.",
                "Upload the documents proving the category of entitlement.",
                "A social researcher studies the case and may visit the family.",
                "The decision is sent by SMS and the pension is paid to the bank account.",
            ),
            "procedure_ar": (
                "تقديم الطلب عبر الخدمات الإلكترونية للوزارة.",
                "رفع المستندات التي تثبت فئة الاستحقاق.",
                "يدرس الباحث الاجتماعي الحالة وقد يزور الأسرة.",
                "يُرسل القرار برسالة نصية ويُصرف المعاش في الحساب البنكي.",
            ),
            "documents_en": ("Qatar ID", "Family book", "Income certificate", "Bank IBAN letter"),
            "documents_ar": (
                "البطاقة الشخصية",
                "دفتر العائلة",
                "شهادة الدخل",
                "خطاب رقم الحساب البنكي الدولي",
            ),
            "fee_qar_or_omr": None,
            "department": "social-security",
        },
    ),
}

_AWQAF: Entity = {
    "code": "awqaf",
    "name_en": "Ministry of Endowments and Islamic Affairs",
    "name_ar": "وزارة الأوقاف والشؤون الإسلامية",
    "description_en": "Mosques, Hajj and Umrah, zakat and endowments.",
    "description_ar": "تتولى شؤون المساجد والحج والعمرة والزكاة والأوقاف.",
    **_QA,
    "departments": (
        {"code": "hajj-umrah", "name_en": "Hajj and Umrah Affairs", "name_ar": "شؤون الحج والعمرة"},
        {"code": "zakat", "name_en": "Zakat Fund", "name_ar": "صندوق الزكاة"},
        {"code": "mosques", "name_en": "Mosques", "name_ar": "إدارة المساجد"},
    ),
    "services": (
        {
            "code": "awqaf-hajj-registration",
            "name_en": "Register for Hajj",
            "name_ar": "التسجيل للحج",
            "description_en": "Electronic registration for Hajj and the draw for permits.",
            "description_ar": "التسجيل الإلكتروني للحج والقرعة على التصاريح.",
            "procedure_en": (
                "Register on the Hajj portal during the announced period.",
                "Choose a licensed Hajj operator.",
                "Wait for the result of the draw by SMS.",
                "Pay the operator and complete the vaccinations required for Hajj.",
            ),
            "procedure_ar": (
                "التسجيل عبر بوابة الحج خلال الفترة المعلنة.",
                "اختيار إحدى حملات الحج المرخصة.",
                "انتظار نتيجة القرعة برسالة نصية.",
                "سداد تكلفة الحملة واستكمال التطعيمات المطلوبة للحج.",
            ),
            "documents_en": ("Qatar ID", "Passport valid for six months"),
            "documents_ar": ("البطاقة الشخصية", "جواز سفر ساري لمدة ستة أشهر"),
            "fee_qar_or_omr": None,
            "department": "hajj-umrah",
        },
    ),
}

_MOECC: Entity = {
    "code": "moecc",
    "name_en": "Ministry of Environment and Climate Change",
    "name_ar": "وزارة البيئة والتغير المناخي",
    "description_en": (
        "Environmental protection, environmental permits, wildlife and camping season."
    ),
    "description_ar": "تعنى بحماية البيئة والتصاريح البيئية والحياة الفطرية وموسم التخييم.",
    **_QA,
    "departments": (
        {
            "code": "environmental-permits",
            "name_en": "Environmental Permits",
            "name_ar": "التصاريح البيئية",
        },
        {
            "code": "environmental-inspection",
            "name_en": "Environmental Inspection",
            "name_ar": "التفتيش البيئي",
        },
    ),
    "services": (
        {
            "code": "moecc-violation-report",
            "name_en": "Report an environmental violation",
            "name_ar": "الإبلاغ عن مخالفة بيئية",
            "description_en": (
                "Dumping of waste in the desert or at sea, hunting out of season, damage to "
                "plants and camping violations."
            ),
            "description_ar": (
                "إلقاء المخلفات في البر أو البحر، والصيد في غير موسمه، والإضرار بالنباتات، "
                "ومخالفات المخيمات."
            ),
            "procedure_en": (
                "Report by phone or app with the location and a photo.",
                "Give vehicle plate numbers if seen.",
                "Environmental inspectors check the site and record the violation.",
            ),
            "procedure_ar": (
                "تقديم البلاغ هاتفياً أو عبر التطبيق مع الموقع وصورة.",
                "ذكر أرقام لوحات المركبات إن شوهدت.",
                "يعاين المفتشون البيئيون الموقع ويحررون المخالفة.",
            ),
            "documents_en": ("Photo and location",),
            "documents_ar": ("صورة وموقع",),
            "fee_qar_or_omr": None,
            "department": "environmental-inspection",
        },
    ),
}

_MOFA: Entity = {
    "code": "mofa",
    "name_en": "Ministry of Foreign Affairs",
    "name_ar": "وزارة الخارجية",
    "description_en": "Consular services: attestation of documents and help for citizens abroad.",
    "description_ar": "تقدّم الخدمات القنصلية، ومنها تصديق الوثائق ومساعدة المواطنين في الخارج.",
    **_QA,
    "departments": (
        {
            "code": "consular-affairs",
            "name_en": "Consular Affairs",
            "name_ar": "إدارة الشؤون القنصلية",
        },
        {"code": "attestation", "name_en": "Attestation", "name_ar": "التصديقات"},
    ),
    "services": (
        {
            "code": "mofa-attestation",
            "name_en": "Attestation of documents",
            "name_ar": "تصديق الوثائق والمستندات",
            "description_en": (
                "Attestation of certificates and documents issued in Qatar or abroad after "
                "attestation by the issuing authority."
            ),
            "description_ar": (
                "تصديق الشهادات والمستندات الصادرة في دولة قطر أو خارجها بعد تصديقها من الجهة "
                "المصدرة."
            ),
            "procedure_en": (
                "Have the document attested by the issuing authority or the embassy first.",
                "Submit it at a consular office, a government services centre or online.",
                "Pay the attestation fee and collect the document.",
            ),
            "procedure_ar": (
                "تصديق المستند من الجهة المصدرة أو السفارة أولاً.",
                "تقديمه في أحد مكاتب الشؤون القنصلية أو مجمعات الخدمات الحكومية أو إلكترونياً.",
                "سداد رسوم التصديق واستلام المستند.",
            ),
            "documents_en": ("Original document", "Qatar ID or passport"),
            "documents_ar": ("أصل المستند", "البطاقة الشخصية أو جواز السفر"),
            "fee_qar_or_omr": 50,
            "department": "attestation",
        },
    ),
}

_MOC: Entity = {
    "code": "moc",
    "name_en": "Ministry of Culture",
    "name_ar": "وزارة الثقافة",
    "description_en": "Cultural centres, libraries, publishing permits and cultural events.",
    "description_ar": "تشرف على المراكز الثقافية والمكتبات وتراخيص النشر والفعاليات الثقافية.",
    **_QA,
    "departments": (
        {
            "code": "publications",
            "name_en": "Publications and Publishing",
            "name_ar": "المطبوعات والنشر",
        },
        {"code": "cultural-events", "name_en": "Cultural Events", "name_ar": "الفعاليات الثقافية"},
    ),
    "services": (
        {
            "code": "moc-publishing-permit",
            "name_en": "Permit to print or publish a book",
            "name_ar": "إذن طباعة كتاب أو نشره",
            "description_en": (
                "Permit for printing, publishing or importing books and publications."
            ),
            "description_ar": "إذن طباعة الكتب والمطبوعات أو نشرها أو استيرادها.",
            "procedure_en": (
                "Submit the request with an electronic copy of the book.",
                "The publications department reviews the content.",
                "Receive the permit and the deposit number.",
            ),
            "procedure_ar": (
                "تقديم الطلب مرفقاً بنسخة إلكترونية من الكتاب.",
                "تراجع إدارة المطبوعات والنشر المحتوى.",
                "استلام الإذن ورقم الإيداع.",
            ),
            "documents_en": ("Electronic copy of the book", "Qatar ID of the author or publisher"),
            "documents_ar": ("نسخة إلكترونية من الكتاب", "البطاقة الشخصية للمؤلف أو الناشر"),
            "fee_qar_or_omr": None,
            "department": "publications",
        },
    ),
}

_MSY: Entity = {
    "code": "msy",
    "name_en": "Ministry of Sports and Youth",
    "name_ar": "وزارة الرياضة والشباب",
    "description_en": "Sports facilities, youth centres and community sports events.",
    "description_ar": "تشرف على المنشآت الرياضية ومراكز الشباب والفعاليات الرياضية المجتمعية.",
    **_QA,
    "departments": (
        {"code": "youth-centres", "name_en": "Youth Centres", "name_ar": "مراكز الشباب"},
        {"code": "community-sports", "name_en": "Community Sports", "name_ar": "الرياضة المجتمعية"},
    ),
    "services": (
        {
            "code": "msy-youth-centre-membership",
            "name_en": "Youth centre membership",
            "name_ar": "العضوية في مراكز الشباب",
            "description_en": "Membership and activity registration in youth and hobby centres.",
            "description_ar": "العضوية والتسجيل في أنشطة مراكز الشباب والهوايات.",
            "procedure_en": (
                "Choose a centre and an activity on the ministry's website.",
                "Fill the membership form; a guardian signs for minors.",
                "Receive the membership card at the centre.",
            ),
            "procedure_ar": (
                "اختيار المركز والنشاط عبر موقع الوزارة.",
                "تعبئة استمارة العضوية، ويوقع ولي الأمر عن القاصرين.",
                "استلام بطاقة العضوية من المركز.",
            ),
            "documents_en": ("Qatar ID", "Personal photo"),
            "documents_ar": ("البطاقة الشخصية", "صورة شخصية"),
            "fee_qar_or_omr": None,
            "department": "youth-centres",
        },
    ),
}

_GTA: Entity = {
    "code": "gta",
    "name_en": "General Tax Authority",
    "name_ar": "الهيئة العامة للضرائب",
    "description_en": "Income tax, excise tax and the Dhareeba tax portal.",
    "description_ar": "تتولى ضريبة الدخل والضريبة الانتقائية وإدارة بوابة «ضريبة» الإلكترونية.",
    **_QA,
    "departments": (
        {"code": "taxpayer-services", "name_en": "Taxpayer Services", "name_ar": "خدمات المكلفين"},
        {"code": "excise-tax", "name_en": "Excise Tax", "name_ar": "الضريبة الانتقائية"},
    ),
    "services": (
        {
            "code": "gta-tax-registration",
            "name_en": "Tax registration and tax card",
            "name_ar": "التسجيل الضريبي والبطاقة الضريبية",
            "description_en": (
                "Registration of companies and establishments on the Dhareeba portal."
            ),
            "description_ar": "تسجيل الشركات والمؤسسات في بوابة «ضريبة» الإلكترونية.",
            "procedure_en": (
                "Log in to Dhareeba with the National Authentication System.",
                "Fill the registration form with the commercial registration data.",
                "Receive the tax identification number and download the tax card.",
            ),
            "procedure_ar": (
                "الدخول إلى بوابة «ضريبة» عبر نظام التوثيق الوطني.",
                "تعبئة نموذج التسجيل ببيانات السجل التجاري.",
                "استلام الرقم الضريبي وتنزيل البطاقة الضريبية.",
            ),
            "documents_en": ("Commercial registration", "Qatar ID of the authorised signatory"),
            "documents_ar": ("السجل التجاري", "البطاقة الشخصية للمفوض بالتوقيع"),
            "fee_qar_or_omr": None,
            "department": "taxpayer-services",
        },
    ),
}

_CGB: Entity = {
    "code": "cgb",
    "name_en": "Civil Service and Government Development Bureau",
    "name_ar": "ديوان الخدمة المدنية والتطوير الحكومي",
    "description_en": (
        "Government recruitment through the Kawader platform and civil service HR policy."
    ),
    "description_ar": (
        "يتولى التوظيف الحكومي عبر منصة «كوادر» وسياسات الموارد البشرية في الخدمة المدنية."
    ),
    **_QA,
    "departments": (
        {"code": "recruitment", "name_en": "Recruitment", "name_ar": "التوظيف"},
        {"code": "hr-policy", "name_en": "HR Policies", "name_ar": "سياسات الموارد البشرية"},
    ),
    "services": (
        {
            "code": "cgb-job-application",
            "name_en": "Apply for a government job (Kawader)",
            "name_ar": "التقدم للوظائف الحكومية عبر منصة كوادر",
            "description_en": (
                "Job seekers' registration and applications for government vacancies."
            ),
            "description_ar": "تسجيل الباحثين عن عمل والتقدم للوظائف الشاغرة في الجهات الحكومية.",
            "procedure_en": (
                "Create a profile on Kawader with the National Authentication System.",
                "Upload the CV and the attested qualifications.",
                "Apply for vacancies and follow the status on the platform.",
            ),
            "procedure_ar": (
                "إنشاء ملف على منصة كوادر عبر نظام التوثيق الوطني.",
                "رفع السيرة الذاتية والمؤهلات المصدقة.",
                "التقدم للوظائف ومتابعة حالة الطلب عبر المنصة.",
            ),
            "documents_en": ("CV", "Attested qualifications", "Qatar ID"),
            "documents_ar": ("السيرة الذاتية", "المؤهلات المصدقة", "البطاقة الشخصية"),
            "fee_qar_or_omr": None,
            "department": "recruitment",
        },
    ),
}

_GRSIA: Entity = {
    "code": "grsia",
    "name_en": "General Retirement and Social Insurance Authority",
    "name_ar": "الهيئة العامة للتقاعد والتأمينات الاجتماعية",
    "description_en": (
        "Pensions and social insurance for Qatari employees in the public and private sectors."
    ),
    "description_ar": (
        "تتولى معاشات التقاعد والتأمينات الاجتماعية للموظفين القطريين في القطاعين الحكومي والخاص."
    ),
    **_QA,
    "departments": (
        {"code": "pensions", "name_en": "Pensions", "name_ar": "المعاشات"},
        {
            "code": "insured-registration",
            "name_en": "Registration of Insured Persons",
            "name_ar": "تسجيل المؤمن عليهم",
        },
    ),
    "services": (
        {
            "code": "grsia-pension-inquiry",
            "name_en": "Pension entitlement inquiry",
            "name_ar": "الاستعلام عن استحقاق المعاش",
            "description_en": "Service period, expected pension and end-of-service calculations.",
            "description_ar": "الاستعلام عن مدة الخدمة والمعاش المتوقع وحسابات نهاية الخدمة.",
            "procedure_en": (
                "Log in to the authority's e-services.",
                "Open the insured person's record and the pension calculator.",
                "Request an official statement of service if needed.",
            ),
            "procedure_ar": (
                "الدخول إلى الخدمات الإلكترونية للهيئة.",
                "فتح سجل المؤمن عليه وحاسبة المعاش.",
                "طلب بيان رسمي بمدة الخدمة عند الحاجة.",
            ),
            "documents_en": ("Qatar ID",),
            "documents_ar": ("البطاقة الشخصية",),
            "fee_qar_or_omr": None,
            "department": "pensions",
        },
    ),
}

_QCB: Entity = {
    "code": "qcb",
    "name_en": "Qatar Central Bank",
    "name_ar": "مصرف قطر المركزي",
    "description_en": (
        "Monetary authority and supervisor of banks; receives complaints against banks and "
        "financial institutions."
    ),
    "description_ar": (
        "السلطة النقدية والجهة الرقابية على البنوك، ويتلقى الشكاوى ضد البنوك والمؤسسات المالية."
    ),
    **_QA,
    "departments": (
        {
            "code": "consumer-protection",
            "name_en": "Financial Consumer Protection",
            "name_ar": "حماية المستهلك المالي",
        },
        {
            "code": "banking-supervision",
            "name_en": "Banking Supervision",
            "name_ar": "الرقابة المصرفية",
        },
    ),
    "services": (
        {
            "code": "qcb-bank-complaint",
            "name_en": "Complaint against a bank or financial institution",
            "name_ar": "شكوى ضد بنك أو مؤسسة مالية",
            "description_en": (
                "Complaints about fees, loans, cards or transfers not settled by the bank."
            ),
            "description_ar": (
                "الشكاوى المتعلقة بالرسوم أو القروض أو البطاقات أو التحويلات التي لم يعالجها البنك."
            ),
            "procedure_en": (
                "Complain to the bank first and keep its reference number.",
                "If the bank does not resolve it, submit the complaint to the central bank online.",
                "The consumer protection team follows up with the bank and replies.",
            ),
            "procedure_ar": (
                "تقديم الشكوى إلى البنك أولاً والاحتفاظ برقمها المرجعي.",
                "إذا لم يعالجها البنك تُقدَّم الشكوى إلى المصرف المركزي إلكترونياً.",
                "يتابع فريق حماية المستهلك الشكوى مع البنك ويرد على مقدمها.",
            ),
            "documents_en": ("Qatar ID", "Bank's reference number", "Statements or correspondence"),
            "documents_ar": (
                "البطاقة الشخصية",
                "الرقم المرجعي لدى البنك",
                "كشوف الحساب أو المراسلات",
            ),
            "fee_qar_or_omr": None,
            "department": "consumer-protection",
        },
    ),
}

_CRA: Entity = {
    "code": "cra",
    "name_en": "Communications Regulatory Authority",
    "name_ar": "هيئة تنظيم الاتصالات",
    "description_en": (
        "Regulates telecommunications and postal services; receives consumer complaints against "
        "service providers."
    ),
    "description_ar": ("تنظّم قطاعي الاتصالات والبريد، وتتلقى شكاوى المستهلكين ضد مقدمي الخدمات."),
    **_QA,
    "departments": (
        {"code": "consumer-affairs", "name_en": "Consumer Affairs", "name_ar": "شؤون المستهلكين"},
        {"code": "spectrum", "name_en": "Spectrum Management", "name_ar": "إدارة الطيف الترددي"},
    ),
    "services": (
        {
            "code": "cra-telecom-complaint",
            "name_en": "Complaint against a telecom provider",
            "name_ar": "شكوى ضد مقدم خدمة اتصالات",
            "description_en": (
                "Billing disputes, poor coverage or service problems not settled by the provider."
            ),
            "description_ar": (
                "النزاعات على الفواتير أو ضعف التغطية أو مشكلات الخدمة التي لم يعالجها مقدم الخدمة."
            ),
            "procedure_en": (
                "Complain to the provider first and keep the ticket number.",
                "After 30 days without a solution, submit the complaint to the authority.",
                "The authority mediates and informs both parties of its decision.",
            ),
            "procedure_ar": (
                "تقديم الشكوى إلى مقدم الخدمة أولاً والاحتفاظ برقم البلاغ.",
                "بعد ثلاثين يوماً دون حل تُقدَّم الشكوى إلى الهيئة.",
                "تتوسط الهيئة بين الطرفين وتبلغهما بقرارها.",
            ),
            "documents_en": ("Provider's ticket number", "Bills or screenshots"),
            "documents_ar": ("رقم البلاغ لدى مقدم الخدمة", "الفواتير أو صور الشاشة"),
            "fee_qar_or_omr": None,
            "department": "consumer-affairs",
        },
    ),
}

_QCAA: Entity = {
    "code": "qcaa",
    "name_en": "Qatar Civil Aviation Authority",
    "name_ar": "الهيئة العامة للطيران المدني",
    "description_en": "Regulates civil aviation; drone permits and air passenger complaints.",
    "description_ar": (
        "تنظّم الطيران المدني وتصدر تصاريح الطائرات بدون طيار وتتلقى شكاوى المسافرين جواً."
    ),
    **_QA,
    "departments": (
        {"code": "air-transport", "name_en": "Air Transport", "name_ar": "النقل الجوي"},
        {"code": "aviation-safety", "name_en": "Aviation Safety", "name_ar": "السلامة الجوية"},
    ),
    "services": (
        {
            "code": "qcaa-drone-permit",
            "name_en": "Drone registration and flight permit",
            "name_ar": "تسجيل الطائرات بدون طيار وتصاريح تشغيلها",
            "description_en": (
                "Registration of drones and permits for photography or recreational flights."
            ),
            "description_ar": "تسجيل الطائرات بدون طيار وإصدار تصاريح التصوير أو الطيران الترفيهي.",
            "procedure_en": (
                "Register the drone with its serial number on the authority's e-services.",
                "Request a flight permit with the location, date and purpose.",
                "Fly only within the approved area and time.",
            ),
            "procedure_ar": (
                "تسجيل الطائرة برقمها التسلسلي عبر الخدمات الإلكترونية للهيئة.",
                "طلب تصريح الطيران مع تحديد الموقع والتاريخ والغرض.",
                "الالتزام بالطيران في المنطقة والوقت المعتمدين فقط.",
            ),
            "documents_en": ("Qatar ID", "Drone serial number and photo"),
            "documents_ar": ("البطاقة الشخصية", "الرقم التسلسلي للطائرة وصورتها"),
            "fee_qar_or_omr": None,
            "department": "aviation-safety",
        },
    ),
}

_MOF: Entity = {
    "code": "mof",
    "name_en": "Ministry of Finance",
    "name_ar": "وزارة المالية",
    "description_en": "State budget, government procurement and payments to suppliers.",
    "description_ar": "تتولى الموازنة العامة للدولة والمشتريات الحكومية ومدفوعات الموردين.",
    **_QA,
    "departments": (
        {
            "code": "procurement",
            "name_en": "Government Procurement",
            "name_ar": "المشتريات الحكومية",
        },
        {"code": "payments", "name_en": "Government Payments", "name_ar": "المدفوعات الحكومية"},
    ),
    "services": (
        {
            "code": "mof-supplier-registration",
            "name_en": "Supplier registration for government tenders",
            "name_ar": "تسجيل الموردين في المناقصات الحكومية",
            "description_en": "Registration of companies on the government procurement portal.",
            "description_ar": "تسجيل الشركات في بوابة المشتريات الحكومية.",
            "procedure_en": (
                "Create an account on the procurement portal.",
                "Upload the commercial registration, tax card and activity classification.",
                "Receive the approval and start bidding for tenders.",
            ),
            "procedure_ar": (
                "إنشاء حساب في بوابة المشتريات الحكومية.",
                "رفع السجل التجاري والبطاقة الضريبية وتصنيف النشاط.",
                "استلام الموافقة والبدء في التقدم للمناقصات.",
            ),
            "documents_en": ("Commercial registration", "Tax card", "Commercial licence"),
            "documents_ar": ("السجل التجاري", "البطاقة الضريبية", "الرخصة التجارية"),
            "fee_qar_or_omr": None,
            "department": "procurement",
        },
    ),
}

_NPC: Entity = {
    "code": "npc",
    "name_en": "National Planning Council",
    "name_ar": "المجلس الوطني للتخطيط",
    "description_en": "National development planning and official statistics (census and surveys).",
    "description_ar": "يتولى التخطيط التنموي الوطني والإحصاءات الرسمية كالتعداد والمسوح.",
    **_QA,
    "departments": (
        {"code": "statistics", "name_en": "Statistics", "name_ar": "الإحصاء"},
        {
            "code": "development-planning",
            "name_en": "Development Planning",
            "name_ar": "التخطيط التنموي",
        },
    ),
    "services": (
        {
            "code": "npc-statistics-request",
            "name_en": "Request official statistical data",
            "name_ar": "طلب بيانات إحصائية رسمية",
            "description_en": (
                "Statistical tables and data for researchers, students and companies."
            ),
            "description_ar": "جداول وبيانات إحصائية للباحثين والطلبة والشركات.",
            "procedure_en": (
                "Search the published statistics on the council's website.",
                "Submit a data request describing the tables and the purpose.",
                "Receive the data by e-mail once approved.",
            ),
            "procedure_ar": (
                "البحث في الإحصاءات المنشورة على موقع المجلس.",
                "تقديم طلب بيانات يوضح الجداول المطلوبة والغرض منها.",
                "استلام البيانات بالبريد الإلكتروني بعد الموافقة.",
            ),
            "documents_en": ("Letter from the university or employer for research requests",),
            "documents_ar": ("خطاب من الجامعة أو جهة العمل لطلبات البحث العلمي",),
            "fee_qar_or_omr": None,
            "department": "statistics",
        },
    ),
}

_QDB: Entity = {
    "code": "qdb",
    "name_en": "Qatar Development Bank",
    "name_ar": "بنك قطر للتنمية",
    "description_en": "Financing and advisory support for small and medium enterprises.",
    "description_ar": "يقدّم التمويل والاستشارات للمشروعات الصغيرة والمتوسطة.",
    **_QA,
    "departments": (
        {"code": "sme-financing", "name_en": "SME Financing", "name_ar": "تمويل المشروعات"},
        {"code": "advisory", "name_en": "Advisory Services", "name_ar": "الخدمات الاستشارية"},
    ),
    "services": (
        {
            "code": "qdb-sme-financing",
            "name_en": "Apply for SME financing",
            "name_ar": "طلب تمويل مشروع صغير أو متوسط",
            "description_en": (
                "Direct and indirect financing for Qatari small and medium enterprises."
            ),
            "description_ar": "التمويل المباشر وغير المباشر للمشروعات القطرية الصغيرة والمتوسطة.",
            "procedure_en": (
                "Apply online with the business plan.",
                "Meet the bank's relationship manager for assessment.",
                "Receive the financing offer and sign the agreement.",
            ),
            "procedure_ar": (
                "تقديم الطلب إلكترونياً مع خطة العمل.",
                "مقابلة مدير العلاقة في البنك لتقييم المشروع.",
                "استلام عرض التمويل وتوقيع الاتفاقية.",
            ),
            "documents_en": ("Commercial registration", "Business plan", "Financial statements"),
            "documents_ar": ("السجل التجاري", "خطة العمل", "القوائم المالية"),
            "fee_qar_or_omr": None,
            "department": "sme-financing",
        },
    ),
}

_SJC: Entity = {
    "code": "sjc",
    "name_en": "Supreme Judiciary Council",
    "name_ar": "المجلس الأعلى للقضاء",
    "description_en": (
        "Administration of the courts: filing of cases, hearing dates and execution of judgments."
    ),
    "description_ar": "يتولى إدارة المحاكم، بما في ذلك قيد الدعاوى ومواعيد الجلسات وتنفيذ الأحكام.",
    **_QA,
    "departments": (
        {"code": "case-management", "name_en": "Case Management", "name_ar": "إدارة الدعاوى"},
        {"code": "execution", "name_en": "Execution of Judgments", "name_ar": "تنفيذ الأحكام"},
    ),
    "services": (
        {
            "code": "sjc-case-status",
            "name_en": "Court case status and hearing dates",
            "name_ar": "الاستعلام عن حالة الدعوى ومواعيد الجلسات",
            "description_en": "Status of a case, next hearing date and copies of judgments.",
            "description_ar": "الاستعلام عن حالة الدعوى وموعد الجلسة القادمة ونسخ الأحكام.",
            "procedure_en": (
                "Log in to the council's e-services with the National Authentication System.",
                "Enter the case number or the Qatar ID of a party.",
                "View the hearings and request a copy of the judgment.",
            ),
            "procedure_ar": (
                "الدخول إلى الخدمات الإلكترونية للمجلس عبر نظام التوثيق الوطني.",
                "إدخال رقم الدعوى أو رقم البطاقة الشخصية لأحد الأطراف.",
                "الاطلاع على الجلسات وطلب نسخة من الحكم.",
            ),
            "documents_en": ("Case number or Qatar ID",),
            "documents_ar": ("رقم الدعوى أو رقم البطاقة الشخصية",),
            "fee_qar_or_omr": None,
            "department": "case-management",
        },
    ),
}

# --------------------------------------------------------------------------------------------
# Entities — Sultanate of Oman
# --------------------------------------------------------------------------------------------

_OM_MOH: Entity = {
    "code": "om-moh",
    "name_en": "Ministry of Health (Oman)",
    "name_ar": "وزارة الصحة (سلطنة عُمان)",
    "description_en": (
        "Oman's ministry of health. Its call center receives complaints, reports, suggestions "
        "and inquiries from the public and from the ministry's staff, documents them, answers "
        "them or routes them to the competent department and follows them up."
    ),
    "description_ar": (
        "وزارة الصحة في سلطنة عُمان. يتلقى مركز الاتصال التابع لها الشكاوى والبلاغات "
        "والمقترحات والاستفسارات من الجمهور ومن منتسبي الوزارة، ويوثقها ويرد عليها أو "
        "يحولها إلى جهة الاختصاص ويتابعها."
    ),
    **_OM,
    "departments": (
        {"code": "contact-center", "name_en": "Contact Center", "name_ar": "مركز الاتصال"},
        {"code": "patient-affairs", "name_en": "Patient Affairs", "name_ar": "شؤون المرضى"},
        {
            "code": "professions-licensing",
            "name_en": "Health Professions Licensing",
            "name_ar": "ترخيص مزاولة المهن الصحية",
        },
        {
            "code": "health-education",
            "name_en": "Health Education and Awareness",
            "name_ar": "التثقيف والتوعية الصحية",
        },
        {
            "code": "human-resources",
            "name_en": "Human Resources (staff matters)",
            "name_ar": "الموارد البشرية (شؤون الموظفين)",
        },
    ),
    "services": (
        {
            "code": "om-moh-complaint",
            "name_en": "Complaint about a health service",
            "name_ar": "شكوى بشأن خدمة صحية",
            "description_en": (
                "Complaints about treatment, waiting times or staff conduct in the ministry's "
                "hospitals and health centres."
            ),
            "description_ar": (
                "الشكاوى المتعلقة بالعلاج أو فترات الانتظار أو تعامل الموظفين في مستشفيات "
                "الوزارة ومراكزها الصحية."
            ),
            "procedure_en": (
                "Call 24441999 or use the ministry's portal or app.",
                "Give the name of the institution, the date and what happened.",
                "The call center documents the complaint and gives a reference number.",
                "The complaint is routed to the competent department and followed up.",
                "The resident receives the reply by phone, SMS or e-mail.",
            ),
            "procedure_ar": (
                "الاتصال بالرقم 24441999 أو استخدام بوابة الوزارة أو تطبيقها.",
                "ذكر اسم المؤسسة الصحية والتاريخ وتفاصيل ما حدث.",
                "يوثق مركز الاتصال الشكوى ويعطي صاحبها رقماً مرجعياً.",
                "تُحوَّل الشكوى إلى جهة الاختصاص وتُتابَع.",
                "يتلقى المواطن أو المقيم الرد هاتفياً أو برسالة نصية أو بالبريد الإلكتروني.",
            ),
            "documents_en": ("Civil number or resident card", "Hospital file number if known"),
            "documents_ar": ("الرقم المدني أو بطاقة المقيم", "رقم الملف في المستشفى إن وجد"),
            "fee_qar_or_omr": None,
            "department": "patient-affairs",
        },
        {
            "code": "om-moh-appointment-inquiry",
            "name_en": "Appointment inquiry",
            "name_ar": "الاستفسار عن المواعيد",
            "description_en": (
                "Dates of specialist appointments, referrals between hospitals and rescheduling."
            ),
            "description_ar": (
                "الاستفسار عن مواعيد العيادات التخصصية والتحويل بين المستشفيات وتغيير المواعيد."
            ),
            "procedure_en": (
                "Call 24441999 with the civil number.",
                "The agent checks the appointment in the hospital system.",
                "If it must change, the request is sent to the hospital's appointments office.",
                "The new date is confirmed by SMS.",
            ),
            "procedure_ar": (
                "الاتصال بالرقم 24441999 مع الرقم المدني.",
                "يتحقق الموظف من الموعد في نظام المستشفى.",
                "إذا لزم تغيير الموعد يُرسل الطلب إلى مكتب المواعيد في المستشفى.",
                "يُؤكَّد الموعد الجديد برسالة نصية.",
            ),
            "documents_en": ("Civil number",),
            "documents_ar": ("الرقم المدني",),
            "fee_qar_or_omr": None,
            "department": "patient-affairs",
        },
        {
            "code": "om-moh-licence-inquiry",
            "name_en": "Medical licence inquiry",
            "name_ar": "الاستفسار عن ترخيص مزاولة المهنة",
            "description_en": (
                "Status of a health professional's licence application, renewal or verification."
            ),
            "description_ar": (
                "الاستفسار عن حالة طلب ترخيص مزاولة المهنة الصحية أو تجديده أو التحقق منه."
            ),
            "procedure_en": (
                "Call 24441999 or write to the call center with the application number.",
                "The agent checks the status with the licensing department.",
                "Missing documents are requested by e-mail.",
            ),
            "procedure_ar": (
                "الاتصال بالرقم 24441999 أو مراسلة مركز الاتصال مع رقم الطلب.",
                "يتحقق الموظف من حالة الطلب لدى دائرة الترخيص.",
                "تُطلب المستندات الناقصة بالبريد الإلكتروني.",
            ),
            "documents_en": ("Application number", "Passport or civil number"),
            "documents_ar": ("رقم الطلب", "جواز السفر أو الرقم المدني"),
            "fee_qar_or_omr": None,
            "department": "professions-licensing",
        },
        {
            "code": "om-moh-staff-request",
            "name_en": "Inquiry or complaint from ministry staff",
            "name_ar": "استفسارات منتسبي الوزارة وشكاواهم",
            "description_en": (
                "Questions and complaints from the ministry's employees about their work matters."
            ),
            "description_ar": "استفسارات موظفي الوزارة وشكاواهم المتعلقة بشؤونهم الوظيفية.",
            "procedure_en": (
                "Call the call center and give the employee number.",
                "The request is documented and routed to human resources.",
                "The employee is informed of the outcome.",
            ),
            "procedure_ar": (
                "الاتصال بمركز الاتصال وذكر الرقم الوظيفي.",
                "يُوثَّق الطلب ويُحوَّل إلى الموارد البشرية.",
                "يُبلَّغ الموظف بالنتيجة.",
            ),
            "documents_en": ("Employee number",),
            "documents_ar": ("الرقم الوظيفي",),
            "fee_qar_or_omr": None,
            "department": "human-resources",
        },
    ),
}

_MUSCAT: Entity = {
    "code": "muscat-mun",
    "name_en": "Muscat Municipality",
    "name_ar": "بلدية مسقط",
    "description_en": (
        "Municipal services in the Governorate of Muscat: building permits, cleanliness, roads "
        "and lighting, food safety and public health, and emergency response in storms."
    ),
    "description_ar": (
        "تقدّم الخدمات البلدية في محافظة مسقط، ومنها تراخيص البناء والنظافة والطرق والإنارة "
        "وسلامة الغذاء والصحة العامة، والاستجابة للطوارئ خلال الأنواء المناخية."
    ),
    **_OM,
    "departments": (
        {"code": "building-permits", "name_en": "Building Permits", "name_ar": "تراخيص البناء"},
        {"code": "cleanliness", "name_en": "Cleanliness Services", "name_ar": "خدمات النظافة"},
        {"code": "roads-lighting", "name_en": "Roads and Lighting", "name_ar": "الطرق والإنارة"},
        {
            "code": "public-health",
            "name_en": "Food Safety and Public Health",
            "name_ar": "سلامة الغذاء والصحة العامة",
        },
        {
            "code": "emergency",
            "name_en": "Emergency and Rainwater Drainage",
            "name_ar": "الطوارئ وتصريف مياه الأمطار",
        },
    ),
    "services": (
        {
            "code": "muscat-building-permit",
            "name_en": "Building permit",
            "name_ar": "إباحة بناء",
            "description_en": (
                "Permit to build a house or a building, or to extend an existing one."
            ),
            "description_ar": "ترخيص بناء منزل أو مبنى أو توسعة مبنى قائم.",
            "procedure_en": (
                "An approved engineering consultancy submits the drawings through the "
                "municipality's e-services.",
                "The drawings are reviewed against the building regulations.",
                "Pay the permit fee.",
                "Receive the building permit; the case status can be checked on 1111.",
            ),
            "procedure_ar": (
                "يقدّم مكتب استشاري هندسي معتمد المخططات عبر الخدمات الإلكترونية للبلدية.",
                "تُراجع المخططات وفق اشتراطات نظام البناء.",
                "سداد رسوم الإباحة.",
                "استلام إباحة البناء، ويمكن الاستعلام عن حالة المعاملة عبر الرقم 1111.",
            ),
            "documents_en": (
                "Land title (mulkiya)",
                "Krooki (site sketch)",
                "Engineering drawings",
            ),
            "documents_ar": ("سند ملكية الأرض", "الرسم المساحي (الكروكي)", "المخططات الهندسية"),
            "fee_qar_or_omr": None,
            "department": "building-permits",
        },
        {
            "code": "muscat-waste-report",
            "name_en": "Report uncollected waste",
            "name_ar": "الإبلاغ عن عدم جمع النفايات",
            "description_en": (
                "Full or damaged containers, waste not collected, or construction debris."
            ),
            "description_ar": "امتلاء الحاويات أو تلفها أو عدم جمع النفايات أو مخلفات البناء.",
            "procedure_en": (
                "Report on 1111, the Baladiyati app or the municipality's social media accounts.",
                "Share the location and a photo.",
                "The cleanliness contractor is instructed to clear the site.",
                "The resident receives the reply by the preferred channel.",
            ),
            "procedure_ar": (
                (
                    "تقديم البلاغ عبر الرقم 1111 أو تطبيق بلديتي أو حسابات البلدية في وسائل "
                    "التواصل الاجتماعي."
                ),
                "مشاركة الموقع مع صورة.",
                "يُكلَّف مقاول النظافة بإزالة المخلفات من الموقع.",
                "يتلقى المراجع الرد عبر الوسيلة التي يفضلها.",
            ),
            "documents_en": ("Photo and location",),
            "documents_ar": ("صورة وموقع",),
            "fee_qar_or_omr": None,
            "department": "cleanliness",
        },
        {
            "code": "muscat-road-lighting-report",
            "name_en": "Report road damage or a street-light fault",
            "name_ar": "الإبلاغ عن تلف الطرق أو أعطال الإنارة",
            "description_en": "Potholes, damaged pavements, fallen signs and street lights out.",
            "description_ar": "الحفر وتلف الأرصفة وسقوط اللوحات الإرشادية وأعطال أعمدة الإنارة.",
            "procedure_en": (
                "Report on 1111 or the Baladiyati app.",
                "Give the wilayat, the area and a landmark, or share the location.",
                "The roads and lighting team inspects and repairs the fault.",
            ),
            "procedure_ar": (
                "تقديم البلاغ عبر الرقم 1111 أو تطبيق بلديتي.",
                "ذكر الولاية والمنطقة وأقرب معلم أو مشاركة الموقع.",
                "يعاين فريق الطرق والإنارة العطل ويصلحه.",
            ),
            "documents_en": ("Photo and location",),
            "documents_ar": ("صورة وموقع",),
            "fee_qar_or_omr": None,
            "department": "roads-lighting",
        },
        {
            "code": "muscat-food-shop-complaint",
            "name_en": "Complaint about a food shop or restaurant",
            "name_ar": "شكوى بشأن محل أغذية أو مطعم",
            "description_en": "Poor hygiene, expired products or unsafe food handling.",
            "description_ar": "سوء النظافة أو المنتجات منتهية الصلاحية أو سوء تداول الأغذية.",
            "procedure_en": (
                "Report on 1111 or the Baladiyati app with the name and location of the shop.",
                "Attach photos and the receipt if available.",
                "Health inspectors visit the shop and take the necessary action.",
                "The resident is informed of the result.",
            ),
            "procedure_ar": (
                "تقديم البلاغ عبر الرقم 1111 أو تطبيق بلديتي مع اسم المحل وموقعه.",
                "إرفاق الصور والإيصال إن وجد.",
                "يزور المراقبون الصحيون المحل ويتخذون الإجراء اللازم.",
                "يُبلَّغ المراجع بالنتيجة.",
            ),
            "documents_en": ("Photos", "Receipt"),
            "documents_ar": ("الصور", "الإيصال"),
            "fee_qar_or_omr": None,
            "department": "public-health",
        },
        {
            "code": "muscat-stray-animals",
            "name_en": "Report stray animals",
            "name_ar": "الإبلاغ عن الحيوانات السائبة",
            "description_en": "Stray dogs, cats or livestock in residential areas and on roads.",
            "description_ar": "الكلاب والقطط والمواشي السائبة في الأحياء السكنية وعلى الطرق.",
            "procedure_en": (
                "Report on 1111 or the Baladiyati app with the location and the kind of animal.",
                "Say whether the animals are aggressive or block traffic.",
                "The team catches the animals and informs the resident.",
            ),
            "procedure_ar": (
                "تقديم البلاغ عبر الرقم 1111 أو تطبيق بلديتي مع الموقع ونوع الحيوان.",
                "توضيح ما إذا كانت الحيوانات عدوانية أو تعيق حركة المرور.",
                "يتولى الفريق المختص الإمساك بالحيوانات ويبلغ المراجع.",
            ),
            "documents_en": ("Location",),
            "documents_ar": ("الموقع",),
            "fee_qar_or_omr": None,
            "department": "public-health",
        },
        {
            "code": "muscat-rainwater-report",
            "name_en": "Report rainwater pooling or flooding",
            "name_ar": "الإبلاغ عن تجمع مياه الأمطار أو جريان الأودية",
            "description_en": (
                "Flooded streets, blocked drains and wadis overflowing during storms; handled by "
                "the emergency duty team, including on holidays."
            ),
            "description_ar": (
                "غمر الشوارع بالمياه وانسداد مصارف الأمطار وجريان الأودية خلال الأنواء "
                "المناخية، ويتولاها فريق المناوبة للطوارئ حتى في أيام العطل الرسمية."
            ),
            "procedure_en": (
                "Call 1111 or report on the Baladiyati app with the exact location.",
                "Say whether homes, vehicles or people are at risk; for danger to life call 9999.",
                "The emergency team sends a pump or a tanker according to priority.",
                "The report is closed after the site is drained.",
            ),
            "procedure_ar": (
                "الاتصال بالرقم 1111 أو تقديم البلاغ عبر تطبيق بلديتي مع تحديد الموقع بدقة.",
                (
                    "توضيح ما إذا كانت المنازل أو المركبات أو الأشخاص في خطر، وفي حال الخطر على "
                    "الأرواح يُتصل بالرقم 9999."
                ),
                "يرسل فريق الطوارئ مضخة أو صهريجاً حسب الأولوية.",
                "يُغلق البلاغ بعد تصريف المياه من الموقع.",
            ),
            "documents_en": ("Location", "Photo or video if safe"),
            "documents_ar": ("الموقع", "صورة أو مقطع فيديو إن أمكن بأمان"),
            "fee_qar_or_omr": None,
            "department": "emergency",
        },
    ),
}

ENTITIES: tuple[Entity, ...] = (
    _PHCC,
    _MOPH,
    _HMC,
    _MOEHE,
    _MOCI,
    _MOI,
    _MM,
    _CUSTOMS,
    _QPOST,
    _KAHRAMAA,
    _MOL,
    _MOJ,
    _ASHGHAL,
    _QT,
    _MCIT,
    _MOT,
    _MSDF,
    _AWQAF,
    _MOECC,
    _MOFA,
    _MOC,
    _MSY,
    _GTA,
    _CGB,
    _GRSIA,
    _QCB,
    _CRA,
    _QCAA,
    _MOF,
    _NPC,
    _QDB,
    _SJC,
    _OM_MOH,
    _MUSCAT,
)

_HEALTH_QA = ("phcc", "moph", "hmc")

# Services whose reports the keyless Open311 request list may show (code -> whether the scrubbed
# description and messages to the resident are shown too). Only issues in public space; never a
# health entity, and not faults at a home or complaints that name a shop or an employer.
OPEN311_PUBLIC: dict[str, bool] = {
    "mm-waste-report": True,
    "ashghal-road-report": True,
    "ashghal-sewage-rainwater-report": True,
    "muscat-waste-report": True,
    "muscat-road-lighting-report": True,
    "muscat-rainwater-report": True,
    "muscat-stray-animals": False,
}
_HEALTH_ENTITIES = ("phcc", "moph", "hmc", "om-moh")

# --------------------------------------------------------------------------------------------
# Hotlines
# --------------------------------------------------------------------------------------------

HOTLINES: tuple[Hotline, ...] = (
    {
        "number": "16000",
        "name_en": "Health emergency hotline 16000",
        "name_ar": "الخط الساخن للطوارئ الصحية 16000",
        "entities": ("moph", "hmc", "phcc"),
        "languages": ("ar", "en", "ur", "hi", "ml"),
        "is_24x7": True,
        "calendar": "24x7",
        "priority": 100,
        "greeting_en": (
            "Welcome to the Ministry of Public Health hotline. If you or someone near you has "
            "symptoms, stay on the line and an agent will assess the case with you."
        ),
        "greeting_ar": (
            "مرحباً بكم في الخط الساخن لوزارة الصحة العامة. إذا ظهرت عليك أو على أحد من "
            "حولك أعراض المرض فابقَ على الخط، وسيقيّم الموظف الحالة معك."
        ),
    },
    {
        "number": "107",
        "name_en": "Primary health care 107",
        "name_ar": "الرعاية الصحية الأولية 107",
        "entities": ("phcc",),
        "languages": tuple(language["code"] for language in LANGUAGES),
        "is_24x7": True,
        "calendar": "24x7",
        "priority": 60,
        "greeting_en": (
            "Welcome to the Primary Health Care Corporation. For appointments, health cards and "
            "medicines, please choose your language."
        ),
        "greeting_ar": (
            "مرحباً بكم في مؤسسة الرعاية الصحية الأولية. للمواعيد والبطاقات الصحية والأدوية "
            "يرجى اختيار اللغة."
        ),
    },
    {
        "number": "24441999",
        "name_en": "Ministry of Health (Oman) call center",
        "name_ar": "مركز الاتصال بوزارة الصحة - سلطنة عُمان",
        "entities": ("om-moh",),
        "languages": ("ar", "en"),
        "is_24x7": False,
        "calendar": "om-moh-cc",
        "priority": 50,
        "greeting_en": (
            "Welcome to the Ministry of Health call center. We receive your inquiries, "
            "complaints, reports and suggestions daily from 7:30 in the morning to 9:30 in the "
            "evening."
        ),
        "greeting_ar": (
            "مرحباً بكم في مركز الاتصال بوزارة الصحة. نستقبل استفساراتكم وشكاواكم وبلاغاتكم "
            "ومقترحاتكم يومياً من السابعة والنصف صباحاً حتى التاسعة والنصف مساءً."
        ),
    },
    {
        "number": "1111",
        "name_en": "Muscat Municipality call center 1111",
        "name_ar": "مركز الاتصالات ببلدية مسقط 1111",
        "entities": ("muscat-mun",),
        "languages": ("ar", "en"),
        "is_24x7": False,
        "calendar": "om-muscat-1111",
        "priority": 50,
        "greeting_en": (
            "Welcome to Muscat Municipality. To check the status of a transaction press 1, to "
            "hear service procedures press 2, to speak to an agent press 3."
        ),
        "greeting_ar": (
            "مرحباً بكم في بلدية مسقط. للاستعلام عن حالة معاملة اضغط 1، وللاستماع إلى "
            "إجراءات الخدمات اضغط 2، وللتحدث مع أحد الموظفين اضغط 3."
        ),
    },
    {
        "number": "109",
        "name_en": "Government Contact Center 109",
        "name_ar": "مركز الاتصال الحكومي 109",
        "entities": tuple(
            entity["code"]
            for entity in ENTITIES
            if entity["country"] == "QA" and entity["code"] not in _HEALTH_QA
        ),
        "languages": tuple(language["code"] for language in LANGUAGES),
        "is_24x7": True,
        "calendar": "24x7",
        "priority": 40,
        "greeting_en": (
            "Welcome to the Government Contact Center. Please choose your language, then the "
            "government entity you wish to reach."
        ),
        "greeting_ar": (
            "مرحباً بكم في مركز الاتصال الحكومي. يرجى اختيار اللغة ثم الجهة الحكومية التي "
            "ترغبون في التواصل معها."
        ),
    },
    {
        "number": "184",
        "name_en": "Customs hotline 184",
        "name_ar": "الخط الساخن للجمارك 184",
        "entities": ("customs",),
        "languages": ("ar", "en"),
        "is_24x7": False,
        "calendar": "qa-customs-184",
        "priority": 30,
        "greeting_en": (
            "Welcome to the General Authority of Customs. For Al Nadeeb support press 1, for "
            "passenger allowances press 2."
        ),
        "greeting_ar": (
            "مرحباً بكم في الهيئة العامة للجمارك. لدعم نظام النديب اضغط 1، وللاستفسار عن "
            "المسموحات الجمركية للمسافرين اضغط 2."
        ),
    },
)

# --------------------------------------------------------------------------------------------
# SLA policies (hours of the entity's business calendar; a working day is 7 hours)
# --------------------------------------------------------------------------------------------

# kind -> priority -> (first response, resolution)
_DEFAULT_SLA: dict[CaseKind, dict[Priority, tuple[float, float]]] = {
    "inquiry": {"low": (8, 35), "normal": (4, 21), "high": (2, 7), "urgent": (1, 4)},
    "complaint": {"low": (8, 70), "normal": (4, 35), "high": (2, 14), "urgent": (1, 7)},
    "report": {"low": (8, 70), "normal": (4, 35), "high": (1, 14), "urgent": (0.5, 4)},
    "suggestion": {"low": (16, 140), "normal": (8, 70), "high": (8, 35), "urgent": (4, 21)},
}

# (entity, kind, priority, first response, resolution)
_SLA_OVERRIDES: tuple[tuple[str, CaseKind, Priority, float, float], ...] = (
    # Muscat Municipality: reports (waste, roads, flooding) are the bulk of its cases.
    ("muscat-mun", "report", "urgent", 0.5, 4),
    ("muscat-mun", "report", "high", 1, 7),
    ("muscat-mun", "report", "normal", 2, 21),
    # Ministry of Public Health: complaints answered within three working days.
    ("moph", "complaint", "normal", 4, 21),
    # Suspected communicable disease cases go to the medical team within the hour.
    ("moph", "report", "urgent", 0.25, 1),
    ("moph", "report", "high", 0.5, 4),
    # PHCC: patient complaints within three working days, urgent ones the same day.
    ("phcc", "complaint", "normal", 2, 21),
    ("phcc", "complaint", "urgent", 0.5, 4),
    # Oman Ministry of Health: complaints within three working days.
    ("om-moh", "complaint", "normal", 4, 21),
    ("om-moh", "complaint", "high", 2, 7),
    # Utilities and roads: faults that endanger people.
    ("kahramaa", "report", "urgent", 0.25, 2),
    ("ashghal", "report", "urgent", 0.5, 4),
    # Consumer complaints at the Ministry of Commerce and Industry: five working days.
    ("moci", "complaint", "normal", 4, 35),
)

SLA_POLICIES: tuple[SlaPolicy, ...] = tuple(
    {
        "entity": None,
        "kind": kind,
        "priority": priority,
        "first_response_hours": first_response,
        "resolution_hours": resolution,
    }
    for kind, by_priority in _DEFAULT_SLA.items()
    for priority, (first_response, resolution) in by_priority.items()
) + tuple(
    {
        "entity": entity,
        "kind": kind,
        "priority": priority,
        "first_response_hours": first_response,
        "resolution_hours": resolution,
    }
    for entity, kind, priority, first_response, resolution in _SLA_OVERRIDES
)

# --------------------------------------------------------------------------------------------
# Demo staff (no passwords here)
# --------------------------------------------------------------------------------------------

DEMO_STAFF: tuple[StaffMember, ...] = (
    {
        "username": "agent.sara",
        "first_name": "Sara",
        "last_name": "Al-Kuwari",
        "display_name_ar": "سارة الكواري",
        "role": "agent",
        "entity": None,
        "departments": (),
        "languages": ("ar", "en"),
    },
    {
        "username": "agent.rahul",
        "first_name": "Rahul",
        "last_name": "Menon",
        "display_name_ar": "راهول مينون",
        "role": "agent",
        "entity": None,
        "departments": (),
        "languages": ("ml", "en", "hi"),
    },
    {
        "username": "agent.ayesha",
        "first_name": "Ayesha",
        "last_name": "Siddiqui",
        "display_name_ar": "عائشة صديقي",
        "role": "agent",
        "entity": None,
        "departments": (),
        "languages": ("ur", "hi", "en"),
    },
    {
        "username": "agent.maria",
        "first_name": "Maria",
        "last_name": "Santos",
        "display_name_ar": "ماريا سانتوس",
        "role": "agent",
        "entity": None,
        "departments": (),
        "languages": ("tl", "en"),
    },
    {
        "username": "agent.prakash",
        "first_name": "Prakash",
        "last_name": "Shrestha",
        "display_name_ar": "براكاش شريستا",
        "role": "agent",
        "entity": None,
        "departments": (),
        "languages": ("ne", "hi", "en"),
    },
    {
        "username": "agent.tanvir",
        "first_name": "Tanvir",
        "last_name": "Rahman",
        "display_name_ar": "تنوير رحمن",
        "role": "agent",
        "entity": None,
        "departments": (),
        "languages": ("bn", "en"),
    },
    {
        "username": "agent.yasmine",
        "first_name": "Yasmine",
        "last_name": "Benali",
        "display_name_ar": "ياسمين بن علي",
        "role": "agent",
        "entity": None,
        "departments": (),
        "languages": ("ar", "fr", "en"),
    },
    {
        "username": "agent.khalfan",
        "first_name": "Khalfan",
        "last_name": "Al-Balushi",
        "display_name_ar": "خلفان البلوشي",
        "role": "agent",
        "entity": None,
        "departments": (),
        "languages": ("ar", "en"),
    },
    {
        "username": "agent.muna",
        "first_name": "Muna",
        "last_name": "Al-Harthy",
        "display_name_ar": "منى بنت سالم الحارثية",
        "role": "agent",
        "entity": None,
        "departments": (),
        "languages": ("ar", "en"),
    },
    {
        "username": "sup.hamad",
        "first_name": "Hamad",
        "last_name": "Al-Marri",
        "display_name_ar": "حمد المري",
        "role": "supervisor",
        "entity": None,
        "departments": (),
        "languages": ("ar", "en"),
    },
    {
        "username": "sup.badriya",
        "first_name": "Badriya",
        "last_name": "Al-Rawahi",
        "display_name_ar": "بدرية الرواحية",
        "role": "supervisor",
        "entity": None,
        "departments": (),
        "languages": ("ar", "en"),
    },
    {
        "username": "qa.noora",
        "first_name": "Noora",
        "last_name": "Al-Sulaiti",
        "display_name_ar": "نورة السليطي",
        "role": "quality_analyst",
        "entity": None,
        "departments": (),
        "languages": ("ar", "en"),
    },
    {
        "username": "qa.deepa",
        "first_name": "Deepa",
        "last_name": "Pillai",
        "display_name_ar": "ديبا بيلاي",
        "role": "quality_analyst",
        "entity": None,
        "departments": (),
        "languages": ("en", "ml", "hi"),
    },
    {
        "username": "plan.omar",
        "first_name": "Omar",
        "last_name": "Haddad",
        "display_name_ar": "عمر حداد",
        "role": "planner",
        "entity": None,
        "departments": (),
        "languages": ("ar", "en"),
    },
    {
        "username": "bo.phcc",
        "first_name": "Mariam",
        "last_name": "Al-Emadi",
        "display_name_ar": "مريم العمادي",
        "role": "backoffice",
        "entity": "phcc",
        "departments": ("patient-experience", "appointments"),
        "languages": ("ar", "en"),
    },
    {
        "username": "bo.moci",
        "first_name": "Abdulrahman",
        "last_name": "Al-Mannai",
        "display_name_ar": "عبدالرحمن المناعي",
        "role": "backoffice",
        "entity": "moci",
        "departments": ("consumer-protection",),
        "languages": ("ar", "en"),
    },
    {
        "username": "bo.muscat",
        "first_name": "Salim",
        "last_name": "Al-Busaidi",
        "display_name_ar": "سالم البوسعيدي",
        "role": "backoffice",
        "entity": "muscat-mun",
        "departments": ("cleanliness", "roads-lighting", "emergency"),
        "languages": ("ar", "en"),
    },
    {
        "username": "bo.ommoh",
        "first_name": "Aisha",
        "last_name": "Al-Lawati",
        "display_name_ar": "عائشة اللواتية",
        "role": "backoffice",
        "entity": "om-moh",
        "departments": ("patient-affairs",),
        "languages": ("ar", "en"),
    },
    {
        "username": "admin",
        "first_name": "Tariq",
        "last_name": "Al-Ansari",
        "display_name_ar": "طارق الأنصاري",
        "role": "admin",
        "entity": None,
        "departments": (),
        "languages": ("ar", "en"),
    },
)

# --------------------------------------------------------------------------------------------
# Demo residents (fictitious numbers; e-mail on reserved example.* domains)
# --------------------------------------------------------------------------------------------


def _resident(
    name_latin: str | None,
    name_ar: str | None,
    phone: str,
    email: str | None,
    language: str,
    reply_channel: ReplyChannel,
) -> DemoResident:
    return {
        "name_latin": name_latin,
        "name_ar": name_ar,
        "phone": phone,
        "email": email,
        "country": "OM" if phone.startswith("+968") else "QA",
        "language": language,
        "reply_channel": reply_channel,
    }


DEMO_RESIDENTS: tuple[DemoResident, ...] = (
    # Qatar: citizens
    _resident(
        "Khalid Al-Kuwari",
        "خالد الكواري",
        "+97455012301",
        "khalid.alkuwari@example.com",
        "ar",
        "sms",
    ),
    _resident(None, "فاطمة محمد النعيمي", "+97466012302", None, "ar", "phone"),
    _resident(
        "Hessa Al-Mohannadi", "حصة المهندي", "+97433012303", "hessa.m@example.net", "ar", "email"
    ),
    _resident("Abdullah Al-Marri", "عَبْدُ اللهِ المَرِّي", "+97450012304", None, "ar", "app"),
    _resident(None, "مريم يوسف الخليفي", "+97450012318", None, "ar", "app"),
    # Qatar: residents from the Arab world
    _resident(
        "Ahmed Mahmoud Abdelaziz", "أحمد محمود عبد العزيز", "+97433012315", None, "ar", "phone"
    ),
    _resident(
        "Nour El-Houda Ben Salah",
        "نور الهدى بن صالح",
        "+97466012317",
        "nour.bensalah@example.org",
        "ar",
        "email",
    ),
    # Qatar: South Asian residents (Malayalam, Urdu, Hindi, Bengali, Nepali speakers)
    _resident("Rajesh Kumar Nair", None, "+97470012305", "rajesh.nair@example.com", "ml", "sms"),
    _resident("Anil Varghese", None, "+97430012306", None, "ml", "phone"),
    _resident("Muhammad Imran Qureshi", "محمد عمران قريشي", "+97455012307", None, "ur", "sms"),
    _resident("Bilal Ahmed", None, "+97477012308", None, "ur", "phone"),
    _resident("Sunita Sharma", None, "+97466012309", "sunita.sharma@example.net", "hi", "email"),
    _resident("Md. Abdul Karim", None, "+97433012310", None, "bn", "sms"),
    _resident("Ram Bahadur Gurung", None, "+97450012311", None, "ne", "phone"),
    # Qatar: Filipino, French-speaking and English-speaking residents
    _resident(
        "Maria Cristina Dela Cruz",
        None,
        "+97455012312",
        "mariacristina.dc@example.com",
        "tl",
        "email",
    ),
    _resident("José Ramón Peña", None, "+97470012313", None, "tl", "app"),
    _resident("Chloé Martin", None, "+97466012314", "chloe.martin@example.org", "fr", "email"),
    _resident("Emily Clarke", None, "+97455012316", "emily.clarke@example.com", "en", "email"),
    # Oman
    _resident("Said Al-Harthi", "سعيد بن ناصر الحارثي", "+96891012319", None, "ar", "sms"),
    _resident(None, "موزة بنت علي البلوشية", "+96892012320", None, "ar", "phone"),
    _resident(
        "Ahmed Al-Rawahi", "أحمد الرواحي", "+96899012321", "ahmed.rawahi@example.com", "ar", "email"
    ),
    _resident("Priya Raghavan", None, "+96895012322", "priya.raghavan@example.net", "en", "email"),
    _resident("Zainab Al-Lawati", "زينب اللواتية", "+96893012323", None, "ar", "app"),
    _resident("Mohammad Ashraf", "محمد أشرف", "+96897012324", None, "ur", "sms"),
    _resident(None, "سَالِم بن خَمِيس العَامِرِي", "+96896012325", None, "ar", "phone"),
)

# --------------------------------------------------------------------------------------------
# Demo case templates
# --------------------------------------------------------------------------------------------

_Location = tuple[float, float, str, str]


def _case(
    kind: CaseKind,
    entity: str,
    service: str,
    priority: Priority,
    channel: Channel,
    language: str,
    subject: tuple[str, str],
    description: tuple[str, str],
    place: _Location | None = None,
) -> CaseTemplate:
    """``subject`` and ``description`` are (English, Arabic); ``place`` is (lat, lon, en, ar)."""
    lat, lon, address_en, address_ar = place if place else (None, None, None, None)
    return {
        "kind": kind,
        "entity": entity,
        "service": service,
        "priority": priority,
        "channel": channel,
        "language": language,
        "subject_en": subject[0],
        "subject_ar": subject[1],
        "description_en": description[0],
        "description_ar": description[1],
        "lat": lat,
        "lon": lon,
        "address_en": address_en,
        "address_ar": address_ar,
    }


DEMO_CASE_TEMPLATES: tuple[CaseTemplate, ...] = (
    # ---- Primary Health Care Corporation
    _case(
        "inquiry",
        "phcc",
        "phcc-health-card-renewal",
        "normal",
        "phone",
        "en",
        ("Expired health card", "بطاقة صحية منتهية"),
        (
            "My health card expired last week and the pharmacy at the health centre would not "
            "give me my medicines. How can I renew it today?",
            "انتهت صلاحية بطاقتي الصحية الأسبوع الماضي ورفضت صيدلية المركز الصحي صرف أدويتي. "
            "كيف يمكنني تجديدها اليوم؟",
        ),
    ),
    _case(
        "complaint",
        "phcc",
        "phcc-patient-feedback",
        "high",
        "phone",
        "ar",
        ("Three hours of waiting at a health centre", "انتظار ثلاث ساعات في مركز صحي"),
        (
            "I waited three hours with my feverish child at the Al Wakra health centre and no "
            "doctor saw us, although we had an appointment.",
            "انتظرت ثلاث ساعات مع طفلي المصاب بالحمى في مركز الوكرة الصحي ولم يفحصنا أي طبيب "
            "رغم أن لدينا موعداً مسبقاً.",
        ),
    ),
    _case(
        "inquiry",
        "phcc",
        "phcc-change-health-centre",
        "low",
        "app",
        "ml",
        ("Moved house, change health centre", "تغيير المركز الصحي بعد الانتقال"),
        (
            "We moved from Al Mansoura to Al Wakra. How do I move my family's files to the "
            "nearest health centre?",
            "انتقلنا من المنصورة إلى الوكرة. كيف أنقل ملفات أسرتي إلى أقرب مركز صحي؟",
        ),
    ),
    _case(
        "inquiry",
        "phcc",
        "phcc-vaccination",
        "normal",
        "phone",
        "ur",
        ("Vaccination appointment for a baby", "موعد تطعيم لرضيع"),
        (
            "My daughter is four months old and is due for her vaccines. Which health centre "
            "can give them this week?",
            "ابنتي عمرها أربعة أشهر وحان موعد تطعيماتها. أي مركز صحي يمكنه تطعيمها هذا الأسبوع؟",
        ),
    ),
    _case(
        "suggestion",
        "phcc",
        "phcc-patient-feedback",
        "low",
        "web",
        "ar",
        ("Evening dental clinic", "عيادة أسنان مسائية"),
        (
            "I suggest opening the dental clinic in the evening at more health centres, because "
            "employees cannot attend in the morning.",
            "أقترح فتح عيادة الأسنان في الفترة المسائية في عدد أكبر من المراكز الصحية، لأن "
            "الموظفين لا يستطيعون الحضور صباحاً.",
        ),
    ),
    _case(
        "complaint",
        "phcc",
        "phcc-medication-delivery",
        "normal",
        "email",
        "en",
        ("Medicines not delivered", "عدم توصيل الأدوية"),
        (
            "I requested home delivery of my diabetes medicines ten days ago and paid the fee, "
            "but nothing has arrived and I have two days of insulin left.",
            "طلبت توصيل أدوية السكري إلى المنزل قبل عشرة أيام ودفعت الرسوم، لكن لم يصل شيء "
            "ولم يتبقَّ لدي من الإنسولين إلا ما يكفي يومين.",
        ),
    ),
    _case(
        "inquiry",
        "phcc",
        "phcc-premarital-screening",
        "normal",
        "phone",
        "hi",
        ("Premarital screening", "فحص ما قبل الزواج"),
        (
            "My fiancée and I want to do the premarital screening. Do we need an appointment "
            "and how long do the results take?",
            "أرغب أنا وخطيبتي في إجراء فحص ما قبل الزواج. هل نحتاج إلى موعد، وكم تستغرق النتائج؟",
        ),
    ),
    # ---- Ministry of Public Health and 16000
    _case(
        "report",
        "moph",
        "moph-suspected-case-report",
        "urgent",
        "phone",
        "ar",
        ("Suspected case after travel", "حالة مشتبه بها بعد السفر"),
        (
            "My brother returned from a trip two days ago and has a high fever, cough and "
            "difficulty breathing. What should we do?",
            "عاد أخي من السفر قبل يومين ويعاني من حمى شديدة وسعال وصعوبة في التنفس. ماذا نفعل؟",
        ),
    ),
    _case(
        "inquiry",
        "moph",
        "moph-travel-health",
        "normal",
        "phone",
        "en",
        ("Vaccines before travelling to East Africa", "اللقاحات قبل السفر إلى شرق أفريقيا"),
        (
            "I am travelling to Kenya next month. Do I need a yellow fever vaccine and where can "
            "I get it?",
            (
                "سأسافر إلى كينيا الشهر القادم. هل أحتاج إلى لقاح الحمى الصفراء وأين يمكنني الحصول "
                "عليه؟"
            ),
        ),
    ),
    _case(
        "complaint",
        "moph",
        "moph-private-sector-complaint",
        "high",
        "email",
        "en",
        ("Overcharged by a private clinic", "مبالغة عيادة خاصة في الرسوم"),
        (
            "A private clinic charged me 1,200 riyals for a simple consultation and a blood "
            "test, and refused to give an itemised invoice.",
            (
                "تقاضت مني عيادة خاصة 1200 ريال مقابل استشارة بسيطة وتحليل دم، ورفضت إعطائي فاتورة "
                "مفصلة."
            ),
        ),
    ),
    _case(
        "inquiry",
        "moph",
        "moph-practitioner-licence",
        "normal",
        "email",
        "en",
        ("Licence application pending", "طلب ترخيص قيد الانتظار"),
        (
            "I am a nurse and my licence application has been in primary source verification "
            "for seven weeks. Is anything missing?",
            "أعمل ممرضة ولا يزال طلب ترخيصي في مرحلة التحقق من المصدر الأساسي منذ سبعة أسابيع. "
            "هل ينقصه شيء؟",
        ),
    ),
    _case(
        "inquiry",
        "moph",
        "moph-personal-medicine-permit",
        "low",
        "phone",
        "ar",
        ("Bringing medicines from abroad", "إحضار أدوية من الخارج"),
        (
            "My mother is coming to visit and takes a sleeping medicine prescribed by her "
            "doctor. Does she need a permit?",
            "ستزورني والدتي وهي تتناول دواءً منوماً بوصفة من طبيبها. هل تحتاج إلى إذن مسبق؟",
        ),
    ),
    # ---- Hamad Medical Corporation
    _case(
        "inquiry",
        "hmc",
        "hmc-outpatient-appointment",
        "normal",
        "phone",
        "ar",
        ("Referral without an appointment", "تحويل دون موعد"),
        (
            "The health centre referred me to the orthopaedic clinic a month ago and I have not "
            "received any appointment yet.",
            "حوّلني المركز الصحي إلى عيادة العظام قبل شهر ولم يصلني أي موعد حتى الآن.",
        ),
    ),
    # ---- Ministry of Education and Higher Education
    _case(
        "inquiry",
        "moehe",
        "moehe-school-registration",
        "normal",
        "phone",
        "ar",
        ("Kindergarten registration", "التسجيل في رياض الأطفال"),
        (
            "When does registration for government kindergartens open, and which documents do "
            "I need for my son?",
            "متى يبدأ التسجيل في رياض الأطفال الحكومية، وما المستندات المطلوبة لابني؟",
        ),
    ),
    _case(
        "complaint",
        "moehe",
        "moehe-private-school-complaint",
        "high",
        "email",
        "en",
        ("Fee increase in the middle of the year", "زيادة الرسوم في منتصف العام"),
        (
            "My children's private school raised the fees in January without the ministry's "
            "approval and threatens to withhold their reports.",
            "رفعت المدرسة الخاصة التي يدرس فيها أبنائي الرسوم في يناير دون موافقة الوزارة، "
            "وتهدد بحجب شهاداتهم.",
        ),
    ),
    _case(
        "inquiry",
        "moehe",
        "moehe-qualification-equivalency",
        "normal",
        "web",
        "en",
        ("Equivalency request pending", "طلب معادلة قيد الانتظار"),
        (
            "I applied for the equivalency of my master's degree two months ago and the status "
            "still says 'under review'. My employer needs it.",
            "قدمت طلب معادلة شهادة الماجستير قبل شهرين وما زالت حالته «قيد الدراسة»، وجهة عملي "
            "تطلبها.",
        ),
    ),
    _case(
        "inquiry",
        "moehe",
        "moehe-exam-results",
        "low",
        "phone",
        "ar",
        ("Second-round exam registration", "التسجيل في امتحانات الدور الثاني"),
        (
            "My daughter failed one subject in the secondary exams. How does she register for "
            "the second round and when are the exams?",
            (
                "رسبت ابنتي في مادة واحدة في امتحانات الثانوية العامة. كيف تسجل للدور الثاني ومتى "
                "الامتحانات؟"
            ),
        ),
    ),
    _case(
        "suggestion",
        "moehe",
        "moehe-scholarship",
        "low",
        "web",
        "ar",
        ("More scholarship specialisations", "تخصصات أكثر في البعثات"),
        (
            "I suggest adding artificial intelligence and data science to the list of "
            "specialisations approved for scholarships.",
            "أقترح إضافة تخصصي الذكاء الاصطناعي وعلم البيانات إلى قائمة التخصصات المعتمدة للبعثات.",
        ),
    ),
    # ---- Ministry of Commerce and Industry
    _case(
        "complaint",
        "moci",
        "moci-consumer-complaint",
        "normal",
        "app",
        "ar",
        ("Warranty refused", "رفض تطبيق الضمان"),
        (
            "The washing machine I bought three months ago stopped working, and the shop "
            "refuses to repair it under the two-year warranty.",
            "تعطلت الغسالة التي اشتريتها قبل ثلاثة أشهر، ويرفض المحل إصلاحها ضمن الضمان "
            "البالغ سنتين.",
        ),
    ),
    _case(
        "report",
        "moci",
        "moci-price-violation-report",
        "high",
        "social",
        "ar",
        ("Prices above the shelf label", "أسعار أعلى من السعر المعلن"),
        (
            "A supermarket charges at the till more than the price on the shelf for rice and "
            "cooking oil.",
            "يحتسب أحد المتاجر عند الدفع أسعاراً أعلى من السعر المعلن على الرفوف للأرز وزيت الطبخ.",
        ),
        (
            25.2610,
            51.5650,
            "Zone 45, Street 310, Old Airport, Doha",
            "منطقة 45، شارع 310، المطار القديم، الدوحة",
        ),
    ),
    _case(
        "inquiry",
        "moci",
        "moci-cr-renewal",
        "normal",
        "phone",
        "en",
        ("Renewing a commercial registration", "تجديد السجل التجاري"),
        (
            "My commercial registration expires next week. Can I renew it online if the lease "
            "has not been renewed yet?",
            (
                "ينتهي سجلي التجاري الأسبوع القادم. هل يمكنني تجديده إلكترونياً إذا لم يُجدَّد عقد "
                "الإيجار بعد؟"
            ),
        ),
    ),
    _case(
        "inquiry",
        "moci",
        "moci-trademark-registration",
        "low",
        "email",
        "en",
        ("Registering a bakery's trademark", "تسجيل العلامة التجارية لمخبز"),
        (
            "How long does it take to register the trademark of my bakery and in which classes "
            "should I file?",
            "كم يستغرق تسجيل العلامة التجارية لمخبزي، وفي أي فئات يجب أن أودعها؟",
        ),
    ),
    _case(
        "complaint",
        "moci",
        "moci-consumer-complaint",
        "normal",
        "phone",
        "ur",
        ("Refund refused for a faulty phone", "رفض استرداد قيمة هاتف معيب"),
        (
            "I bought a mobile phone that does not charge, and the shop refuses to exchange it "
            "or refund the money after four days.",
            "اشتريت هاتفاً محمولاً لا يشحن، ويرفض المحل استبداله أو رد المبلغ بعد أربعة أيام.",
        ),
    ),
    # ---- Ministry of Interior
    _case(
        "inquiry",
        "moi",
        "moi-metrash-support",
        "normal",
        "phone",
        "en",
        ("Metrash2 code not received", "عدم وصول رمز مطراش2"),
        (
            "I changed my mobile number and no longer receive the verification code to log in "
            "to Metrash2.",
            "غيّرت رقم جوالي ولم يعد يصلني رمز التحقق للدخول إلى تطبيق مطراش2.",
        ),
    ),
    _case(
        "inquiry",
        "moi",
        "moi-residence-renewal",
        "normal",
        "phone",
        "ne",
        ("Residence permit about to expire", "إقامة على وشك الانتهاء"),
        (
            "My residence permit expires in ten days and my company has not renewed it. Will I "
            "be fined?",
            "تنتهي إقامتي بعد عشرة أيام ولم تجددها شركتي. هل ستُفرض علي غرامة؟",
        ),
    ),
    # ---- Ministry of Municipality, Ashghal and Kahramaa (reports with a place)
    _case(
        "report",
        "mm",
        "mm-waste-report",
        "normal",
        "app",
        "ar",
        ("Overflowing waste containers", "حاويات نفايات ممتلئة"),
        (
            "The waste containers behind the mosque have been overflowing for three days and "
            "the smell is unbearable.",
            "حاويات النفايات خلف المسجد ممتلئة منذ ثلاثة أيام والرائحة لا تُحتمل.",
        ),
        (
            25.2849,
            51.5003,
            "Zone 38, Street 850, Building 12, Al Sadd, Doha",
            "منطقة 38، شارع 850، مبنى 12، السد، الدوحة",
        ),
    ),
    _case(
        "complaint",
        "mm",
        "mm-food-hygiene-complaint",
        "high",
        "phone",
        "en",
        ("Food poisoning after a meal", "تسمم غذائي بعد وجبة"),
        (
            "Four members of my family had vomiting and diarrhoea after eating grilled chicken "
            "from a restaurant yesterday evening.",
            (
                "أصيب أربعة من أفراد أسرتي بالقيء والإسهال بعد تناول دجاج مشوي من أحد المطاعم مساء "
                "أمس."
            ),
        ),
        (
            25.2867,
            51.5167,
            "Zone 22, Street 820, Fereej Bin Mahmoud, Doha",
            "منطقة 22، شارع 820، فريج بن محمود، الدوحة",
        ),
    ),
    _case(
        "report",
        "ashghal",
        "ashghal-road-report",
        "high",
        "app",
        "en",
        ("Deep pothole in the right lane", "حفرة عميقة في المسار الأيمن"),
        (
            "There is a deep pothole in the right lane near the traffic lights; two cars burst "
            "their tyres this morning.",
            (
                "توجد حفرة عميقة في المسار الأيمن قرب الإشارة الضوئية، وانفجرت إطارات سيارتين هذا "
                "الصباح."
            ),
        ),
        (
            25.2630,
            51.4720,
            "Al Waab Street, Zone 55, Al Waab, Doha",
            "شارع الوعب، منطقة 55، الوعب، الدوحة",
        ),
    ),
    _case(
        "report",
        "ashghal",
        "ashghal-sewage-rainwater-report",
        "urgent",
        "phone",
        "ar",
        ("Sewage flooding a street", "طفح الصرف الصحي في الشارع"),
        (
            "Sewage is overflowing from a manhole and has reached the entrances of the houses; "
            "children cannot get to school.",
            (
                "تطفح مياه الصرف الصحي من إحدى المناهل ووصلت إلى مداخل المنازل، ولا يستطيع الأطفال "
                "الذهاب إلى المدرسة."
            ),
        ),
        (
            25.1659,
            51.6036,
            "Zone 90, Street 1050, Al Wakra",
            "منطقة 90، شارع 1050، الوكرة",
        ),
    ),
    _case(
        "report",
        "kahramaa",
        "kahramaa-fault-report",
        "urgent",
        "phone",
        "ar",
        ("Building without electricity", "مبنى بلا كهرباء"),
        (
            "The whole building has been without electricity since two o'clock at night, and "
            "there is an elderly resident who uses an oxygen machine.",
            (
                "انقطعت الكهرباء عن المبنى بالكامل منذ الساعة الثانية ليلاً، ويسكن فيه مسن يستخدم "
                "جهاز أكسجين."
            ),
        ),
        (
            25.3390,
            51.4480,
            "Zone 51, Street 343, Building 7, Al Gharrafa",
            "منطقة 51، شارع 343، مبنى 7، الغرافة",
        ),
    ),
    # ---- Ministry of Labour and Customs
    _case(
        "complaint",
        "mol",
        "mol-labour-complaint",
        "high",
        "phone",
        "bn",
        ("Three months without salary", "ثلاثة أشهر دون راتب"),
        (
            "Our company has not paid the salaries of 40 workers for three months and the "
            "accommodation has no food.",
            "لم تدفع شركتنا رواتب 40 عاملاً منذ ثلاثة أشهر، ولا يتوفر طعام في السكن.",
        ),
    ),
    _case(
        "inquiry",
        "customs",
        "customs-passenger-allowance",
        "normal",
        "phone",
        "en",
        ("Declaring cash on arrival", "الإفصاح عن النقد عند الوصول"),
        (
            "I am arriving with 60,000 riyals in cash to buy a car. Do I have to declare it and "
            "how?",
            "سأصل ومعي 60 ألف ريال نقداً لشراء سيارة. هل يجب علي الإفصاح عنها وكيف؟",
        ),
    ),
    # ---- Muscat Municipality (1111, Baladiyati)
    _case(
        "report",
        "muscat-mun",
        "muscat-waste-report",
        "normal",
        "app",
        "ar",
        ("Waste not collected for three days", "عدم جمع النفايات منذ ثلاثة أيام"),
        (
            "The waste has not been collected in our street for three days and the containers "
            "are overflowing onto the road.",
            "لم تُجمع النفايات في شارعنا منذ ثلاثة أيام، وامتلأت الحاويات حتى فاضت على الطريق.",
        ),
        (
            23.5940,
            58.4280,
            "Way 3012, Al Khuwair 33, Wilayat Bawshar, Muscat",
            "سكة 3012، الخوير 33، ولاية بوشر، محافظة مسقط",
        ),
    ),
    _case(
        "report",
        "muscat-mun",
        "muscat-road-lighting-report",
        "high",
        "phone",
        "ar",
        ("Street lights out on a main road", "انطفاء الإنارة في طريق رئيسي"),
        (
            "All the street lights on the service road have been out for a week and the road is "
            "completely dark at night.",
            "جميع أعمدة الإنارة في الطريق الخدمي مطفأة منذ أسبوع، والطريق مظلم تماماً ليلاً.",
        ),
        (
            23.6160,
            58.2420,
            "Service road, Al Mawaleh South, Wilayat As Seeb, Muscat",
            "الطريق الخدمي، الموالح الجنوبية، ولاية السيب، محافظة مسقط",
        ),
    ),
    _case(
        "report",
        "muscat-mun",
        "muscat-rainwater-report",
        "urgent",
        "phone",
        "ar",
        ("Flooded underpass", "غرق نفق بمياه الأمطار"),
        (
            "Rainwater has filled the underpass and a car is stuck inside; the water is still "
            "rising.",
            "امتلأ النفق بمياه الأمطار وعلقت بداخله سيارة، ولا يزال منسوب المياه يرتفع.",
        ),
        (
            23.6010,
            58.5640,
            "Wadi Al Kabir, Wilayat Muttrah, Muscat",
            "وادي الكبير، ولاية مطرح، محافظة مسقط",
        ),
    ),
    _case(
        "report",
        "muscat-mun",
        "muscat-stray-animals",
        "normal",
        "app",
        "en",
        ("Stray dogs near a school", "كلاب ضالة قرب مدرسة"),
        (
            "A pack of stray dogs gathers every morning near the school gate and frightens the "
            "children.",
            "تتجمع مجموعة من الكلاب الضالة كل صباح قرب بوابة المدرسة وتخيف الأطفال.",
        ),
        (
            23.5560,
            58.3990,
            "Near the school gate, Bawshar, Muscat",
            "قرب بوابة المدرسة، بوشر، محافظة مسقط",
        ),
    ),
    _case(
        "complaint",
        "muscat-mun",
        "muscat-food-shop-complaint",
        "normal",
        "web",
        "ar",
        ("Expired products in a grocery", "منتجات منتهية الصلاحية في بقالة"),
        (
            "A grocery sells yoghurt and juice past their expiry date, and the refrigerator "
            "does not work properly.",
            "تبيع إحدى البقالات اللبن والعصائر بعد انتهاء صلاحيتها، والثلاجة لا تعمل بشكل سليم.",
        ),
        (
            23.6800,
            58.1880,
            "Near Al Seeb Souq, Wilayat As Seeb, Muscat",
            "قرب سوق السيب، ولاية السيب، محافظة مسقط",
        ),
    ),
    _case(
        "inquiry",
        "muscat-mun",
        "muscat-building-permit",
        "low",
        "phone",
        "ar",
        ("Building permit status", "حالة طلب إباحة البناء"),
        (
            "I submitted the drawings for a house through the consultancy a month ago. What is "
            "the status of the permit?",
            "قدمت مخططات منزل عن طريق المكتب الاستشاري قبل شهر. ما حالة طلب الإباحة؟",
        ),
    ),
    # ---- Ministry of Health (Oman), 24441999
    _case(
        "complaint",
        "om-moh",
        "om-moh-complaint",
        "high",
        "phone",
        "ar",
        ("Long wait in the emergency department", "انتظار طويل في قسم الطوارئ"),
        (
            "My father waited five hours in the emergency department with chest pain before a "
            "doctor examined him.",
            "انتظر والدي خمس ساعات في قسم الطوارئ وهو يعاني من ألم في الصدر قبل أن يفحصه الطبيب.",
        ),
    ),
    _case(
        "inquiry",
        "om-moh",
        "om-moh-appointment-inquiry",
        "normal",
        "phone",
        "ar",
        ("Referral appointment date", "موعد التحويل"),
        (
            "The health centre referred me to the hospital's ophthalmology clinic. When is my "
            "appointment?",
            "حوّلني المركز الصحي إلى عيادة العيون في المستشفى. متى موعدي؟",
        ),
    ),
    _case(
        "inquiry",
        "om-moh",
        "om-moh-licence-inquiry",
        "normal",
        "email",
        "en",
        ("Licence application status", "حالة طلب الترخيص"),
        (
            "I am a pharmacist and applied for a licence to practise six weeks ago. Could you "
            "tell me the status and whether any document is missing?",
            "أنا صيدلي وقدمت طلب ترخيص مزاولة المهنة قبل ستة أسابيع. أرجو إفادتي بحالة الطلب وهل "
            "ينقصه أي مستند.",
        ),
    ),
    _case(
        "suggestion",
        "om-moh",
        "om-moh-appointment-inquiry",
        "low",
        "phone",
        "ar",
        ("SMS reminders for appointments", "تذكير بالمواعيد برسائل نصية"),
        (
            "I suggest sending an SMS reminder two days before every hospital appointment so "
            "that fewer patients miss them.",
            "أقترح إرسال رسالة نصية للتذكير قبل كل موعد في المستشفى بيومين حتى يقل عدد المرضى "
            "الذين يفوتون مواعيدهم.",
        ),
    ),
    _case(
        "inquiry",
        "om-moh",
        "om-moh-staff-request",
        "normal",
        "phone",
        "ar",
        ("Transfer request of a nurse", "طلب نقل ممرضة"),
        (
            "I am a nurse at a health centre and submitted a transfer request to a hospital "
            "near my home three months ago. Where has it reached?",
            "أعمل ممرضة في مركز صحي وقدمت طلب نقل إلى مستشفى قريب من سكني قبل ثلاثة أشهر. "
            "إلى أين وصل الطلب؟",
        ),
    ),
)

# --------------------------------------------------------------------------------------------
# Self-check
# --------------------------------------------------------------------------------------------

_ARABIC = re.compile(r"[\u0600-\u06FF]")
_SLUG = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$|^24x7$")
_HHMM = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$")
_E164 = {"QA": re.compile(r"^\+974[3567]\d{7}$"), "OM": re.compile(r"^\+968[79]\d{7}$")}
_MUNICIPAL = {"mm", "ashghal", "kahramaa", "moecc", "muscat-mun"}


def _duplicates(values: list) -> list:
    return sorted(value for value, count in Counter(values).items() if count > 1)


def _check_intervals(where: str, intervals: tuple[Interval, ...], problems: list[str]) -> None:
    for start, end in intervals:
        if not (_HHMM.match(start) and _HHMM.match(end)) or start >= end:
            problems.append(f"{where}: bad interval {start}-{end}")


def validate() -> list[str]:
    """Problems in the demo data (an empty list when everything is consistent)."""
    problems: list[str] = []
    language_codes = [language["code"] for language in LANGUAGES]
    calendar_codes = [calendar["code"] for calendar in CALENDARS]
    entity_codes = [entity["code"] for entity in ENTITIES]
    services = {s["code"]: (e["code"], s) for e in ENTITIES for s in e["services"]}
    all_service_codes = [s["code"] for e in ENTITIES for s in e["services"]]
    departments = {e["code"]: {d["code"] for d in e["departments"]} for e in ENTITIES}

    for label, codes in (
        ("language", language_codes),
        ("calendar", calendar_codes),
        ("entity", entity_codes),
        ("service", all_service_codes),
        ("hotline", [hotline["number"] for hotline in HOTLINES]),
        ("username", [member["username"] for member in DEMO_STAFF]),
        ("resident phone", [resident["phone"] for resident in DEMO_RESIDENTS]),
    ):
        for code in _duplicates(codes):
            problems.append(f"duplicate {label} code {code!r}")

    if len(LANGUAGES) != 9:
        problems.append(f"{len(LANGUAGES)} languages, expected 9")
    if len(ENTITIES) != 34:
        problems.append(f"{len(ENTITIES)} entities, expected 34")
    if len(all_service_codes) < 65:
        problems.append(f"{len(all_service_codes)} services, expected at least 65")

    for calendar in CALENDARS:
        where = f"calendar {calendar['code']}"
        if set(calendar["weekly"]) - set(range(7)):
            problems.append(f"{where}: weekday keys must be 0..6")
        for day, intervals in calendar["weekly"].items():
            _check_intervals(f"{where} weekday {day}", intervals, problems)
        for day in _duplicates([holiday["date"] for holiday in calendar["holidays"]]):
            problems.append(f"{where}: holiday {day} listed twice")
        years = set()
        for holiday in calendar["holidays"]:
            try:
                years.add(date.fromisoformat(holiday["date"]).year)
            except ValueError:
                problems.append(f"{where}: bad holiday date {holiday['date']!r}")
            if len(holiday["hours"]) > 1:
                problems.append(f"{where}: {holiday['date']} has more than one interval")
            _check_intervals(f"{where} {holiday['date']}", holiday["hours"], problems)
            if not _ARABIC.search(holiday["name_ar"]):
                problems.append(f"{where}: {holiday['date']} has no Arabic name")
        if not calendar["is_24x7"] and not {2026, 2027} <= years:
            problems.append(f"{where}: holidays must cover 2026 and 2027")

    max_services = 0
    for entity in ENTITIES:
        where = f"entity {entity['code']}"
        if not _SLUG.match(entity["code"]):
            problems.append(f"{where}: code is not a slug")
        if entity["calendar"] not in calendar_codes:
            problems.append(f"{where}: unknown calendar {entity['calendar']!r}")
        if entity["country"] not in ("QA", "OM"):
            problems.append(f"{where}: unknown country {entity['country']!r}")
        if not 2 <= len(entity["departments"]) <= 5:
            problems.append(f"{where}: {len(entity['departments'])} departments, expected 2-5")
        if not entity["services"]:
            problems.append(f"{where}: no service")
        for code in _duplicates([d["code"] for d in entity["departments"]]):
            problems.append(f"{where}: duplicate department {code!r}")
        texts = [entity["name_ar"], entity["description_ar"]]
        texts += [d["name_ar"] for d in entity["departments"]]
        for service in entity["services"]:
            swhere = f"service {service['code']}"
            if not _SLUG.match(service["code"]):
                problems.append(f"{swhere}: code is not a slug")
            if service["department"] not in departments[entity["code"]]:
                problems.append(f"{swhere}: unknown department {service['department']!r}")
            for field in ("procedure_en", "procedure_ar"):
                if not 3 <= len(service[field]) <= 6:
                    problems.append(f"{swhere}: {field} has {len(service[field])} steps")
            if len(service["procedure_en"]) != len(service["procedure_ar"]):
                problems.append(f"{swhere}: procedure steps differ between languages")
            if len(service["documents_en"]) != len(service["documents_ar"]):
                problems.append(f"{swhere}: documents differ between languages")
            fee = service["fee_qar_or_omr"]
            if fee is not None and (isinstance(fee, bool) or fee < 0):
                problems.append(f"{swhere}: bad fee {fee!r}")
            texts += [service["name_ar"], service["description_ar"]]
            texts += [*service["procedure_ar"], *service["documents_ar"]]
        for text in texts:
            if not _ARABIC.search(text):
                problems.append(f"{where}: Arabic text without Arabic letters: {text!r}")
        if entity["code"] not in ("phcc", "moph", "moehe", "moci"):
            max_services = max(max_services, len(entity["services"]))
    for code in ("phcc", "moph", "moehe", "moci"):
        count = len(next(e for e in ENTITIES if e["code"] == code)["services"])
        if count <= max_services:
            problems.append(f"entity {code}: {count} services, should be among the most")

    for hotline in HOTLINES:
        where = f"hotline {hotline['number']}"
        for code in hotline["entities"]:
            if code not in entity_codes:
                problems.append(f"{where}: unknown entity {code!r}")
        for code in hotline["languages"]:
            if code not in language_codes:
                problems.append(f"{where}: unknown language {code!r}")
        if hotline["calendar"] not in calendar_codes:
            problems.append(f"{where}: unknown calendar {hotline['calendar']!r}")
    if HOTLINES and max(HOTLINES, key=lambda h: h["priority"])["number"] != "16000":
        problems.append("hotline 16000 must have the highest priority")

    seen_sla = []
    for policy in SLA_POLICIES:
        where = f"SLA {policy['entity']}/{policy['kind']}/{policy['priority']}"
        seen_sla.append((policy["entity"], policy["kind"], policy["priority"]))
        if policy["entity"] is not None and policy["entity"] not in entity_codes:
            problems.append(f"{where}: unknown entity")
        if policy["kind"] not in CASE_KINDS or policy["priority"] not in PRIORITIES:
            problems.append(f"{where}: unknown kind or priority")
        if not 0 < policy["first_response_hours"] <= policy["resolution_hours"]:
            problems.append(f"{where}: first response must be positive and within resolution")
    for key in _duplicates(seen_sla):
        problems.append(f"duplicate SLA policy {key}")
    for kind in CASE_KINDS:
        for priority in PRIORITIES:
            if (None, kind, priority) not in seen_sla:
                problems.append(f"no default SLA for {kind}/{priority}")

    roles = Counter(member["role"] for member in DEMO_STAFF)
    for role in ROLES:
        if not roles[role]:
            problems.append(f"no demo user with role {role!r}")
    for member in DEMO_STAFF:
        where = f"user {member['username']}"
        if member["role"] not in ROLES:
            problems.append(f"{where}: unknown role {member['role']!r}")
        if member["role"] == "backoffice" and member["entity"] is None:
            problems.append(f"{where}: back-office staff need an entity")
        if member["entity"] is not None:
            if member["entity"] not in entity_codes:
                problems.append(f"{where}: unknown entity {member['entity']!r}")
            else:
                for code in member["departments"]:
                    if code not in departments[member["entity"]]:
                        problems.append(f"{where}: unknown department {code!r}")
        for code in member["languages"]:
            if code not in language_codes:
                problems.append(f"{where}: unknown language {code!r}")
        if not _ARABIC.search(member["display_name_ar"]):
            problems.append(f"{where}: display_name_ar has no Arabic letters")

    for resident in DEMO_RESIDENTS:
        where = f"resident {resident['phone']}"
        if not (resident["name_latin"] or resident["name_ar"]):
            problems.append(f"{where}: no name")
        if not _E164[resident["country"]].match(resident["phone"]):
            problems.append(f"{where}: not an E.164 mobile number of {resident['country']}")
        if resident["language"] not in language_codes:
            problems.append(f"{where}: unknown language {resident['language']!r}")
        if resident["reply_channel"] not in REPLY_CHANNELS:
            problems.append(f"{where}: unknown reply channel {resident['reply_channel']!r}")
        if resident["reply_channel"] == "email" and not resident["email"]:
            problems.append(f"{where}: prefers e-mail but has no address")

    for number, case in enumerate(DEMO_CASE_TEMPLATES):
        where = f"case template {number} ({case['service']})"
        owner = services.get(case["service"])
        if case["entity"] not in entity_codes:
            problems.append(f"{where}: unknown entity {case['entity']!r}")
        if owner is None:
            problems.append(f"{where}: unknown service")
        elif owner[0] != case["entity"]:
            problems.append(f"{where}: service belongs to {owner[0]!r}, not {case['entity']!r}")
        if case["kind"] not in CASE_KINDS or case["priority"] not in PRIORITIES:
            problems.append(f"{where}: unknown kind or priority")
        if case["channel"] not in CHANNELS:
            problems.append(f"{where}: unknown channel {case['channel']!r}")
        if case["language"] not in language_codes:
            problems.append(f"{where}: unknown language {case['language']!r}")
        place = (case["lat"], case["lon"], case["address_en"], case["address_ar"])
        if any(value is None for value in place) and any(value is not None for value in place):
            problems.append(f"{where}: partial location")
        if case["kind"] == "report" and case["entity"] in _MUNICIPAL and case["lat"] is None:
            problems.append(f"{where}: municipal report without a location")
        if case["lat"] is not None and case["lon"] is not None:
            in_doha = 24.9 <= case["lat"] <= 25.5 and 51.2 <= case["lon"] <= 51.7
            in_muscat = 23.3 <= case["lat"] <= 23.8 and 58.0 <= case["lon"] <= 58.8
            if not (in_doha or in_muscat):
                problems.append(f"{where}: location outside Doha and Muscat")
        for field in ("subject_ar", "description_ar"):
            if not _ARABIC.search(case[field]):
                problems.append(f"{where}: {field} has no Arabic letters")
    for code in OPEN311_PUBLIC:
        if code not in services:
            problems.append(f"OPEN311_PUBLIC: unknown service {code!r}")
        elif services[code][0] in _HEALTH_ENTITIES:
            problems.append(f"OPEN311_PUBLIC: {code!r} is a health service")
    return problems
