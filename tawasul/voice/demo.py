"""Demo IVR flows for 109, 107, 16000 and 1111, and a SIP phone for every demo agent
(user name = the login with '-' for '.', password ``tawasul-demo``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tawasul.accounts.models import Role, User
from tawasul.directory.models import Hotline
from tawasul.voice import services
from tawasul.voice.models import IvrFlow, VoiceEndpoint

DEMO_SIP_PASSWORD = "tawasul-demo"


def _say(en: str, ar: str, tl: str = "") -> dict[str, str]:
    # Tagalog where the demo has it (the 9-language hotlines); others hear English.
    return {"en": en, "ar": ar, **({"tl": tl} if tl else {})}


def demo_flow(number: str, *, menu: dict[str, Any], welcome: dict[str, str]) -> dict[str, Any]:
    """A flow: welcome, language, a main menu, and the shared closing nodes."""
    nodes: dict[str, Any] = {
        "welcome": {"type": "play", "say": welcome, "next": "language"},
        "language": {
            "type": "language",
            "timeout": 5,
            "retries": 1,
            "invalid": "main",
            "next": "main",
        },
        "main": {
            "type": "menu",
            "say": menu.pop("say"),
            "options": menu.pop("options"),
            "timeout": 5,
            "retries": 2,
            "invalid": "agent",
        },
        # A full line or a long wait offers a call-back that keeps the caller's place.
        "agent": {
            "type": "queue",
            "queue": "general",
            "skills": {},
            "max_size": 25,
            "max_wait": 180,
            "declined": "bye",
        },
        "closed": {
            "type": "callback",
            "say": _say(
                "We are closed now. To be called back when we open, press 1.",
                "نحن خارج أوقات الدوام. لطلب معاودة الاتصال عند بدء الدوام، اضغط 1.",
                "Sarado po kami ngayon. Para tawagan namin kayo pagbukas, pindutin ang 1.",
            ),
            "timeout": 5,
            "retries": 1,
            "invalid": "bye",
        },
        "holiday": {
            "type": "callback",
            "say": _say(
                "Today is a public holiday and we are closed. To be called back, press 1.",
                "اليوم عطلة رسمية ونحن مغلقون. لطلب معاودة الاتصال، اضغط 1.",
                "Pista opisyal po ngayon at sarado kami. Para tawagan namin kayo, pindutin ang 1.",
            ),
            "timeout": 5,
            "retries": 1,
            "invalid": "bye",
        },
        "bye": {
            "type": "hangup",
            "say": _say(
                "Thank you for calling. Goodbye.",
                "شكراً لاتصالك. مع السلامة.",
                "Salamat po sa inyong pagtawag. Paalam.",
            ),
        },
    }
    nodes.update(menu.pop("nodes", {}))
    return {"start": "welcome", "closed": "closed", "holiday": "holiday", "nodes": nodes}


def demo_flows() -> dict[str, dict[str, Any]]:
    status = {
        "type": "case_status",
        "say": _say(
            "Please enter the digits of your case reference, then press the hash key.",
            "يرجى إدخال أرقام رقم البلاغ ثم الضغط على مفتاح المربع.",
        ),
        "timeout": 8,
        "retries": 1,
        "invalid": "main",
        "next": "main",
    }
    return {
        "109": demo_flow(
            "109",
            welcome=_say(
                "Welcome to the Government Contact Center 109.",
                "مرحباً بكم في مركز الاتصال الحكومي 109.",
                "Maligayang pagdating sa Government Contact Center 109.",
            ),
            menu={
                "say": _say(
                    "For the status of a case, press 1. To speak to an agent, press 0.",
                    "لمعرفة حالة بلاغ اضغط 1. للتحدث إلى أحد الموظفين اضغط 0.",
                    "Para sa katayuan ng isang kaso, pindutin ang 1. "
                    "Para makausap ang isang ahente, pindutin ang 0.",
                ),
                "options": {"1": "status", "0": "agent"},
                "nodes": {"status": status},
            },
        ),
        "107": demo_flow(
            "107",
            welcome=_say(
                "Welcome to Primary Health Care, 107.", "مرحباً بكم في الرعاية الصحية الأولية 107."
            ),
            menu={
                "say": _say(
                    "To hear how to book an appointment, press 1. To speak to an agent, press 0.",
                    "لمعرفة طريقة حجز موعد اضغط 1. للتحدث إلى أحد الموظفين اضغط 0.",
                ),
                "options": {"1": "booking", "0": "agent"},
                "nodes": {
                    "booking": {"type": "procedure", "service": "phcc-appointment", "next": "main"},
                },
            },
        ),
        "16000": demo_flow(
            "16000",
            welcome=_say("Health emergency hotline 16000.", "الخط الساخن للطوارئ الصحية 16000."),
            menu={
                "say": _say(
                    "To report a suspected case, press 1. For travel guidance, press 2.",
                    "للإبلاغ عن حالة مشتبه بها اضغط 1. للإرشادات الخاصة بالسفر اضغط 2.",
                ),
                "options": {"1": "report", "2": "agent"},
                "nodes": {"report": {"type": "queue", "queue": "reports", "priority": 10}},
            },
        ),
        "1111": demo_flow(
            "1111",
            welcome=_say("Welcome to Muscat Municipality, 1111.", "مرحباً بكم في بلدية مسقط 1111."),
            menu={
                "say": _say(
                    "For the status of a report, press 1. To hear how to get a building "
                    "permit, press 2. To speak to an agent, press 0.",
                    "لمعرفة حالة بلاغ اضغط 1. لمعرفة إجراءات رخصة البناء اضغط 2. "
                    "للتحدث إلى أحد الموظفين اضغط 0.",
                ),
                "options": {"1": "status", "2": "permit", "0": "agent"},
                "nodes": {
                    "status": status,
                    "permit": {
                        "type": "procedure",
                        "service": "muscat-building-permit",
                        "next": "main",
                    },
                },
            },
        ),
    }


@transaction.atomic
def seed_demo() -> str:
    flows = 0
    for number, definition in demo_flows().items():
        hotline = Hotline.objects.filter(number=number).first()
        if hotline is None or IvrFlow.objects.filter(hotline=hotline).exists():
            continue
        services.ivr_flow_save(hotline=hotline, definition=definition, comment="demo")
        flows += 1
    phones = 0
    for agent in User.objects.filter(role=Role.AGENT, is_active=True).exclude(
        username="integration"
    ):
        if VoiceEndpoint.objects.filter(user=agent).exists():
            continue
        services.voice_endpoint_set(
            user=agent,
            sip_username=agent.username.replace(".", "-"),
            password=DEMO_SIP_PASSWORD,
        )
        phones += 1
    return f"{flows} IVR flows, {phones} agent SIP phones (password {DEMO_SIP_PASSWORD})"
