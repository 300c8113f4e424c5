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


def _say(en: str, ar: str, **others: str) -> dict[str, str]:
    # Every language of the hotline the node belongs to (a caller whose language a prompt
    # lacks hears the English one; the gateway's own words are in tawasul.residents.texts).
    return {"en": en, "ar": ar, **others}


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
                tl="Sarado po kami ngayon. Para tawagan namin kayo pagbukas, pindutin ang 1.",
                ur="اس وقت ہمارا دفتر بند ہے۔ دفتر کھلنے پر واپس کال حاصل کرنے کے لیے 1 دبائیں۔",
                hi="इस समय हमारा कार्यालय बंद है। कार्यालय खुलने पर वापस कॉल पाने के लिए 1 दबाएँ।",
                ml="ഇപ്പോൾ ഞങ്ങളുടെ പ്രവൃത്തിസമയം കഴിഞ്ഞു. പ്രവൃത്തിസമയം ആരംഭിക്കുമ്പോൾ ഞങ്ങൾ "
                "തിരികെ വിളിക്കാൻ 1 അമർത്തുക.",
                bn="এই মুহূর্তে আমাদের অফিস বন্ধ। অফিস খোলার পর ফিরতি কল পেতে 1 চাপুন।",
                ne="अहिले हाम्रो कार्यालय बन्द छ। कार्यालय खुलेपछि फिर्ता कल प्राप्त गर्न 1 थिच्नुहोस्।",
                fr="Nous sommes actuellement fermés. Pour être rappelé à l'ouverture, "
                "appuyez sur 1.",
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
                tl="Pista opisyal po ngayon at sarado kami. Para tawagan namin kayo, "
                "pindutin ang 1.",
                ur="آج سرکاری تعطیل ہے اور ہمارا دفتر بند ہے۔ واپس کال حاصل کرنے کے لیے 1 دبائیں۔",
                hi="आज सार्वजनिक अवकाश है और हमारा कार्यालय बंद है। वापस कॉल पाने के लिए 1 दबाएँ।",
                ml="ഇന്ന് പൊതു അവധിയാണ്, ഞങ്ങളുടെ ഓഫീസ് പ്രവർത്തിക്കുന്നില്ല. ഞങ്ങൾ തിരികെ വിളിക്കാൻ 1 അമർത്തുക.",
                bn="আজ সরকারি ছুটির দিন, আমাদের অফিস বন্ধ। ফিরতি কল পেতে 1 চাপুন।",
                ne="आज सार्वजनिक बिदा हो र हाम्रो कार्यालय बन्द छ। फिर्ता कल प्राप्त गर्न 1 थिच्नुहोस्।",
                fr="Aujourd'hui est un jour férié et nous sommes fermés. Pour être rappelé, "
                "appuyez sur 1.",
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
                tl="Salamat po sa inyong pagtawag. Paalam.",
                ur="کال کرنے کا شکریہ۔ اللہ حافظ۔",
                hi="कॉल करने के लिए धन्यवाद। नमस्कार।",
                ml="വിളിച്ചതിന് നന്ദി. നമസ്കാരം.",
                bn="কল করার জন্য ধন্যবাদ। বিদায়।",
                ne="फोन गर्नुभएकोमा धन्यवाद। नमस्कार।",
                fr="Merci de votre appel. Au revoir.",
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
            tl="Pakilagay po ang mga numero ng reference ng inyong kaso, pagkatapos ay "
            "pindutin ang hash key.",
            ur="براہِ کرم اپنی درخواست کا حوالہ نمبر درج کریں، پھر ہیش کا بٹن دبائیں۔",
            hi="कृपया अपने अनुरोध की संदर्भ संख्या दर्ज करें, फिर हैश कुंजी दबाएँ।",
            ml="ദയവായി നിങ്ങളുടെ അപേക്ഷയുടെ റഫറൻസ് നമ്പർ നൽകിയ ശേഷം ഹാഷ് കീ അമർത്തുക.",
            bn="অনুগ্রহ করে আপনার অনুরোধের রেফারেন্স নম্বর লিখুন, তারপর হ্যাশ বোতাম চাপুন।",
            ne="कृपया आफ्नो अनुरोधको सन्दर्भ नम्बर थिच्नुहोस्, त्यसपछि ह्यास बटन थिच्नुहोस्।",
            fr="Veuillez saisir les chiffres de votre numéro de dossier, puis appuyez sur la "
            "touche dièse.",
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
                tl="Maligayang pagdating sa Government Contact Center 109.",
                ur="حکومتی رابطہ مرکز 109 میں خوش آمدید۔",
                hi="सरकारी संपर्क केंद्र 109 में आपका स्वागत है।",
                ml="ഗവൺമെന്റ് കോൺടാക്റ്റ് സെന്റർ 109 ലേക്ക് സ്വാഗതം.",
                bn="আপনাকে স্বাগতম, এটি সরকারি যোগাযোগ কেন্দ্র 109।",
                ne="सरकारी सम्पर्क केन्द्र 109 मा यहाँलाई स्वागत छ।",
                fr="Bienvenue au Centre de contact gouvernemental 109.",
            ),
            menu={
                "say": _say(
                    "For the status of a case, press 1. To speak to an agent, press 0.",
                    "لمعرفة حالة بلاغ اضغط 1. للتحدث إلى أحد الموظفين اضغط 0.",
                    tl="Para sa katayuan ng isang kaso, pindutin ang 1. "
                    "Para makausap ang isang ahente, pindutin ang 0.",
                    ur="درخواست کی صورتحال جاننے کے لیے 1 دبائیں۔ نمائندے سے بات کرنے کے لیے 0 "
                    "دبائیں۔",
                    hi="अनुरोध की स्थिति जानने के लिए 1 दबाएँ। प्रतिनिधि से बात करने के लिए 0 दबाएँ।",
                    ml="അപേക്ഷയുടെ നില അറിയാൻ 1 അമർത്തുക. ഉദ്യോഗസ്ഥനുമായി സംസാരിക്കാൻ 0 അമർത്തുക.",
                    bn="অনুরোধের অবস্থা জানতে 1 চাপুন। প্রতিনিধির সাথে কথা বলতে 0 চাপুন।",
                    ne="अनुरोधको स्थिति जान्न 1 थिच्नुहोस्। प्रतिनिधिसँग कुरा गर्न 0 थिच्नुहोस्।",
                    fr="Pour connaître l'état d'un dossier, appuyez sur 1. Pour parler à un "
                    "conseiller, appuyez sur 0.",
                ),
                "options": {"1": "status", "0": "agent"},
                "nodes": {"status": status},
            },
        ),
        "107": demo_flow(
            "107",
            welcome=_say(
                "Welcome to Primary Health Care, 107.",
                "مرحباً بكم في الرعاية الصحية الأولية 107.",
                tl="Maligayang pagdating sa Primary Health Care, 107.",
                ur="پرائمری ہیلتھ کیئر 107 میں خوش آمدید۔",
                hi="प्राथमिक स्वास्थ्य सेवा 107 में आपका स्वागत है।",
                ml="പ്രൈമറി ഹെൽത്ത് കെയർ 107 ലേക്ക് സ്വാഗതം.",
                bn="আপনাকে স্বাগতম, এটি প্রাথমিক স্বাস্থ্যসেবা 107।",
                ne="प्राथमिक स्वास्थ्य सेवा 107 मा यहाँलाई स्वागत छ।",
                fr="Bienvenue aux Soins de santé primaires, 107.",
            ),
            menu={
                "say": _say(
                    "To hear how to book an appointment, press 1. To speak to an agent, press 0.",
                    "لمعرفة طريقة حجز موعد اضغط 1. للتحدث إلى أحد الموظفين اضغط 0.",
                    tl="Para malaman kung paano magpa-appointment, pindutin ang 1. "
                    "Para makausap ang isang ahente, pindutin ang 0.",
                    ur="اپائنٹمنٹ لینے کا طریقہ سننے کے لیے 1 دبائیں۔ نمائندے سے بات کرنے کے لیے 0 "
                    "دبائیں۔",
                    hi="अपॉइंटमेंट लेने का तरीका सुनने के लिए 1 दबाएँ। प्रतिनिधि से बात करने के लिए 0 दबाएँ।",
                    ml="അപ്പോയിന്റ്മെന്റ് എടുക്കുന്ന വിധം കേൾക്കാൻ 1 അമർത്തുക. ഉദ്യോഗസ്ഥനുമായി സംസാരിക്കാൻ 0 അമർത്തുക.",
                    bn="অ্যাপয়েন্টমেন্ট নেওয়ার নিয়ম শুনতে 1 চাপুন। প্রতিনিধির সাথে কথা বলতে 0 চাপুন।",
                    ne="अपोइन्टमेन्ट लिने तरिका सुन्न 1 थिच्नुहोस्। प्रतिनिधिसँग कुरा गर्न 0 थिच्नुहोस्।",
                    fr="Pour savoir comment prendre rendez-vous, appuyez sur 1. Pour parler à un "
                    "conseiller, appuyez sur 0.",
                ),
                "options": {"1": "booking", "0": "agent"},
                "nodes": {
                    "booking": {"type": "procedure", "service": "phcc-appointment", "next": "main"},
                },
            },
        ),
        "16000": demo_flow(
            "16000",
            welcome=_say(
                "Health emergency hotline 16000.",
                "الخط الساخن للطوارئ الصحية 16000.",
                ur="ہیلتھ ایمرجنسی ہاٹ لائن 16000 میں خوش آمدید۔",
                hi="स्वास्थ्य आपातकालीन हॉटलाइन 16000 में आपका स्वागत है।",
                ml="ആരോഗ്യ അടിയന്തര ഹോട്ട്‌ലൈൻ 16000 ലേക്ക് സ്വാഗതം.",
            ),
            menu={
                "say": _say(
                    "To report a suspected case, press 1. For travel guidance, press 2.",
                    "للإبلاغ عن حالة مشتبه بها اضغط 1. للإرشادات الخاصة بالسفر اضغط 2.",
                    ur="مشتبہ کیس کی اطلاع دینے کے لیے 1 دبائیں۔ سفر سے متعلق رہنمائی کے لیے 2 "
                    "دبائیں۔",
                    hi="संदिग्ध मामले की सूचना देने के लिए 1 दबाएँ। यात्रा संबंधी मार्गदर्शन के लिए 2 दबाएँ।",
                    ml="സംശയാസ്പദമായ രോഗബാധ അറിയിക്കാൻ 1 അമർത്തുക. യാത്രാ മാർഗനിർദേശങ്ങൾക്ക് 2 അമർത്തുക.",
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
