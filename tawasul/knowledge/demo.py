"""Demo knowledge base for ``tawasul seed demo`` (idempotent: keyed by slug, re-running only
adds a version where the text changed).

One procedure article per demo service, in Arabic and English, built from the directory
(procedure, documents, fee), plus FAQs and awareness articles of the kind the seed centers
answer all day: the 16000 emergency hotline's health awareness and travel guidance, Muscat's
rainy-season guidance, health cards, consumer rights, and a few in Urdu, Hindi and Malayalam
for the communities that call in those languages. Fees are illustrative, as in the directory.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tawasul.directory.models import Entity, Language, Service
from tawasul.knowledge.choices import ArticleKind, ArticleStatus
from tawasul.knowledge.models import Article
from tawasul.knowledge.services import article_publish, article_save

CURRENCY = {"QA": ("QAR", "ريال قطري"), "OM": ("OMR", "ريال عماني")}

# (slug, entity, service or None, kind, language, title, body)
ARTICLES: tuple[tuple[str, str, str | None, str, str, str, str], ...] = (
    (
        "16000-symptoms-ar",
        "moph",
        "moph-suspected-case-report",
        "awareness",
        "ar",
        "الخط الساخن 16000: متى أتصل وماذا أفعل عند ظهور الأعراض",
        "اتصل بالخط الساخن 16000 إذا ظهرت عليك حرارة أو سعال أو ضيق في التنفس بعد السفر أو بعد "
        "مخالطة حالة مؤكدة.\nابقَ في المنزل وابتعد عن أفراد الأسرة قدر الإمكان حتى يتواصل معك "
        "الفريق الطبي.\nلا تذهب إلى المركز الصحي أو الطوارئ دون اتصال مسبق إلا إذا كانت حالتك "
        "طارئة، وفي الحالات الطارئة اتصل بالإسعاف 999.\nاغسل يديك بالماء والصابون مدة 20 ثانية "
        "على الأقل، وغطِّ فمك وأنفك عند العطس أو السعال.",
    ),
    (
        "16000-symptoms-en",
        "moph",
        "moph-suspected-case-report",
        "awareness",
        "en",
        "Hotline 16000: when to call and what to do if you have symptoms",
        "Call the 16000 hotline if you have a fever, cough or shortness of breath after travel "
        "or after contact with a confirmed case.\nStay at home and keep away from other "
        "household members until the medical team contacts you.\nDo not walk into a health "
        "centre or emergency department without calling first unless it is an emergency; in "
        "an emergency call the ambulance on 999.\nWash your hands with soap and water for at "
        "least 20 seconds and cover your mouth and nose when you cough or sneeze.",
    ),
    (
        "travel-guidance-ar",
        "moph",
        "moph-travel-health",
        "awareness",
        "ar",
        "إرشادات صحية للمسافرين",
        "راجع المركز الصحي قبل السفر بأربعة إلى ستة أسابيع للحصول على التطعيمات الموصى بها "
        "لبلد الوجهة.\nاحمل أدويتك المزمنة في حقيبة اليد مع الوصفة الطبية.\nعند العودة، إذا "
        "ظهرت عليك أعراض خلال 14 يوماً فاتصل بالخط 16000 واذكر البلدان التي زرتها.",
    ),
    (
        "travel-guidance-en",
        "moph",
        "moph-travel-health",
        "awareness",
        "en",
        "Health guidance for travellers",
        "Visit your health centre four to six weeks before travelling for the vaccinations "
        "recommended for your destination.\nCarry chronic medicines in your hand luggage with "
        "the prescription.\nIf you develop symptoms within 14 days of returning, call 16000 "
        "and say which countries you visited.",
    ),
    (
        "16000-symptoms-ur",
        "moph",
        "moph-suspected-case-report",
        "awareness",
        "ur",
        "ہاٹ لائن 16000: علامات ظاہر ہونے پر کیا کریں",
        "سفر کے بعد بخار، کھانسی یا سانس لینے میں دشواری ہو تو 16000 پر کال کریں۔\nطبی ٹیم کے "
        "رابطہ کرنے تک گھر پر رہیں اور گھر والوں سے فاصلہ رکھیں۔\nہنگامی صورت میں ایمبولینس "
        "کے لیے 999 پر کال کریں۔",
    ),
    (
        "16000-symptoms-hi",
        "moph",
        "moph-suspected-case-report",
        "awareness",
        "hi",
        "हॉटलाइन 16000: लक्षण दिखें तो क्या करें",
        "यात्रा के बाद बुखार, खांसी या सांस लेने में तकलीफ हो तो 16000 पर कॉल करें।\nमेडिकल "
        "टीम के संपर्क करने तक घर पर रहें और परिवार के सदस्यों से दूरी रखें।\nआपात स्थिति "
        "में एम्बुलेंस के लिए 999 पर कॉल करें।",
    ),
    (
        "16000-symptoms-ml",
        "moph",
        "moph-suspected-case-report",
        "awareness",
        "ml",
        "ഹോട്ട്‌ലൈൻ 16000: രോഗലക്ഷണങ്ങൾ ഉണ്ടെങ്കിൽ എന്തു ചെയ്യണം",
        "യാത്രയ്ക്കു ശേഷം പനി, ചുമ, ശ്വാസതടസ്സം എന്നിവ ഉണ്ടെങ്കിൽ 16000 എന്ന നമ്പറിൽ "
        "വിളിക്കുക.\nമെഡിക്കൽ സംഘം ബന്ധപ്പെടുന്നതുവരെ വീട്ടിൽ തന്നെ കഴിയുക.\nഅടിയന്തര "
        "സാഹചര്യത്തിൽ ആംബുലൻസിനായി 999 വിളിക്കുക.",
    ),
    (
        "rainy-season-ar",
        "muscat-mun",
        None,
        "awareness",
        "ar",
        "إرشادات موسم الأمطار والأنواء المناخية في مسقط",
        "تابع النشرات الرسمية للأرصاد الجوية والدفاع المدني.\nلا تعبر الأودية الجارية بالمركبة "
        "أو سيراً على الأقدام مهما بدا منسوب المياه منخفضاً.\nأبلغ بلدية مسقط على الرقم 1111 عن "
        "تجمعات المياه وانسداد مصارف الأمطار وسقوط الأشجار واللوحات.\nمركز الاتصال يعمل بنظام "
        "المناوبة أثناء الأنواء المناخية بما في ذلك أيام العطل.",
    ),
    (
        "rainy-season-en",
        "muscat-mun",
        None,
        "awareness",
        "en",
        "Muscat rainy season and storm guidance",
        "Follow the official bulletins of the meteorology authority and Civil Defence.\nNever "
        "cross a flowing wadi by car or on foot, however low the water looks.\nReport standing "
        "water, blocked storm drains and fallen trees or signs to Muscat Municipality on "
        "1111.\nDuring storms the call centre runs an on-call rota, holidays included.",
    ),
    (
        "health-card-renewal-faq-ar",
        "phcc",
        "phcc-health-card-renewal",
        "faq",
        "ar",
        "كيف أجدد البطاقة الصحية؟",
        "يمكن تجديد البطاقة الصحية عبر بوابة حكومي أو تطبيق نرعاكم أو أجهزة الخدمة الذاتية في "
        "المراكز الصحية.\nتحتاج إلى رقم البطاقة الشخصية ورقم البطاقة الصحية وبطاقة بنكية لسداد "
        "الرسوم.\nلا حاجة إلى استمارة ورقية ولا إلى طباعة بطاقة جديدة؛ تصبح البطاقة سارية فوراً.",
    ),
    (
        "health-card-renewal-faq-en",
        "phcc",
        "phcc-health-card-renewal",
        "faq",
        "en",
        "How do I renew my health card?",
        "Renew on the Hukoomi portal, the Nar'aakom app or a self-service kiosk at any health "
        "centre.\nYou need your Qatar ID number, your health card number and a bank card for "
        "the fee.\nNo paper form and no new printed card are needed; the card is valid at once.",
    ),
    (
        "health-card-renewal-faq-ur",
        "phcc",
        "phcc-health-card-renewal",
        "faq",
        "ur",
        "ہیلتھ کارڈ کی تجدید کیسے کریں؟",
        "ہیلتھ کارڈ کی تجدید حکومی پورٹل، نرعاکم ایپ یا ہیلتھ سینٹر کی سیلف سروس مشین سے کی "
        "جا سکتی ہے۔\nقطر آئی ڈی نمبر، ہیلتھ کارڈ نمبر اور فیس کے لیے بینک کارڈ درکار ہے۔",
    ),
    (
        "phcc-appointment-faq-ar",
        "phcc",
        "phcc-appointment",
        "faq",
        "ar",
        "كيف أحجز موعداً في المركز الصحي؟",
        "احجز موعدك بالاتصال على الخط 107 أو عبر تطبيق نرعاكم.\nاحرص على أن تكون بطاقتك الصحية "
        "سارية، واحضر قبل الموعد بخمس عشرة دقيقة.\nلإلغاء الموعد أو تغييره اتصل على 107 قبل "
        "الموعد بيوم على الأقل ليستفيد غيرك منه.",
    ),
    (
        "phcc-appointment-faq-en",
        "phcc",
        "phcc-appointment",
        "faq",
        "en",
        "How do I book an appointment at my health centre?",
        "Book by calling 107 or in the Nar'aakom app.\nMake sure your health card is valid and "
        "arrive fifteen minutes early.\nTo cancel or change an appointment call 107 at least a "
        "day ahead so someone else can use the slot.",
    ),
    (
        "consumer-rights-ar",
        "moci",
        "moci-consumer-complaint",
        "awareness",
        "ar",
        "حقوق المستهلك: الفاتورة والضمان والاستبدال",
        "من حقك الحصول على فاتورة باللغة العربية تتضمن السعر وتاريخ الشراء ومدة الضمان.\nيجب "
        "أن تُعرض الأسعار بوضوح على السلع، ولا يجوز بيع السلعة بأعلى من السعر المعلن.\nإذا "
        "ظهر عيب في السلعة فمن حقك إصلاحها أو استبدالها أو استرداد ثمنها.\nقدّم الشكوى عبر "
        "الخط 109 مع صورة الفاتورة.",
    ),
    (
        "consumer-rights-en",
        "moci",
        "moci-consumer-complaint",
        "awareness",
        "en",
        "Consumer rights: invoices, warranty and exchange",
        "You are entitled to an invoice in Arabic showing the price, the date of purchase and "
        "the warranty period.\nPrices must be clearly displayed, and goods may not be sold "
        "above the displayed price.\nIf a product is defective you may have it repaired, "
        "exchanged or refunded.\nFile a complaint on 109 with a photo of the invoice.",
    ),
    (
        "consumer-rights-ml",
        "moci",
        "moci-consumer-complaint",
        "awareness",
        "ml",
        "ഉപഭോക്തൃ അവകാശങ്ങൾ: ബില്ലും വാറന്റിയും",
        "വില, വാങ്ങിയ തീയതി, വാറന്റി കാലാവധി എന്നിവ ഉൾപ്പെടുന്ന ബിൽ ലഭിക്കാൻ നിങ്ങൾക്ക് "
        "അവകാശമുണ്ട്.\nസാധനത്തിന് തകരാറുണ്ടെങ്കിൽ നന്നാക്കാനോ മാറ്റിവാങ്ങാനോ പണം "
        "തിരികെ നേടാനോ അവകാശമുണ്ട്.\nബില്ലിന്റെ ഫോട്ടോ സഹിതം 109-ൽ പരാതി നൽകുക.",
    ),
    (
        "om-moh-hours-ar",
        "om-moh",
        None,
        "faq",
        "ar",
        "ما هي ساعات عمل مركز اتصال وزارة الصحة؟",
        "يستقبل مركز الاتصال المكالمات يومياً من الساعة 7:30 صباحاً حتى 9:30 مساءً، وفي العطل "
        "الرسمية من 9:30 صباحاً حتى 4:30 عصراً.\nيمكن تقديم الشكاوى والبلاغات والمقترحات "
        "والاستفسارات، وتُحال إلى جهة الاختصاص وتُتابع حتى الرد.",
    ),
    (
        "om-moh-hours-en",
        "om-moh",
        None,
        "faq",
        "en",
        "What are the Ministry of Health call centre's hours?",
        "The call centre answers every day from 7:30 to 21:30, and on public holidays from "
        "9:30 to 16:30.\nComplaints, reports, suggestions and inquiries are recorded, routed to "
        "the competent department and followed up until answered.",
    ),
    (
        "midday-work-ban-hi",
        "mol",
        "mol-midday-work-ban-report",
        "awareness",
        "hi",
        "गर्मियों में दोपहर के काम पर प्रतिबंध",
        "गर्मियों के महीनों में खुले में दोपहर के समय काम कराना मना है।\nयदि आपका नियोक्ता "
        "इस समय खुले में काम करवाता है तो 109 पर शिकायत करें; आपका नाम गोपनीय रखा जाएगा।",
    ),
)


def _procedure_body(service: Service, language: str) -> str:
    code, name_ar = CURRENCY.get(service.entity.country, ("QAR", "ريال قطري"))
    if language == "ar":
        parts = [service.description_ar, "الخطوات:\n" + service.procedure_ar]
        if service.documents_ar:
            parts.append("المستندات المطلوبة:\n" + service.documents_ar)
        fee = f"{service.fee.normalize():f} {name_ar}" if service.fee is not None else "لا رسوم"
        parts.append(f"الرسوم: {fee}")
    else:
        parts = [service.description_en, "Steps:\n" + service.procedure_en]
        if service.documents_en:
            parts.append("Required documents:\n" + service.documents_en)
        fee = f"{service.fee.normalize():f} {code}" if service.fee is not None else "none"
        parts.append(f"Fee: {fee}")
    return "\n\n".join(part for part in parts if part.strip())


def _upsert(
    *, slug: str, kind: str, entity: Entity, service: Service | None, language: Language,
    title: str, body: str, review_due,
) -> bool:  # fmt: skip
    article = Article.objects.filter(slug=slug).first()
    saved = article_save(
        actor=None,
        article=article,
        kind=kind,
        entity=entity,
        service=service,
        language=language,
        title=title,
        body=body,
        review_due=review_due,
        change_note="Demo content",
        slug=slug,
    )
    latest = saved.versions.order_by("-number").first()
    if saved.status != ArticleStatus.PUBLISHED or saved.published_version != latest.number:
        article_publish(actor=None, article=saved)
    return article is None


@transaction.atomic
def seed_demo() -> str:
    languages = {language.code: language for language in Language.objects.all()}
    review_due = timezone.localdate() + timedelta(days=180)
    created = total = 0
    services = Service.objects.filter(active=True).select_related("entity")
    for service in services:
        if not (service.procedure_ar or service.procedure_en):
            continue
        for code in ("ar", "en"):
            if code not in languages:
                continue
            name = service.name_ar if code == "ar" else service.name_en
            title = f"إجراءات خدمة: {name}" if code == "ar" else f"How to: {name}"
            created += _upsert(
                slug=f"procedure-{service.code}-{code}",
                kind=ArticleKind.PROCEDURE,
                entity=service.entity,
                service=service,
                language=languages[code],
                title=title,
                body=_procedure_body(service, code),
                review_due=review_due,
            )
            total += 1
    entities = {entity.code: entity for entity in Entity.objects.all()}
    service_by_code = {service.code: service for service in services}
    for slug, entity_code, service_code, kind, code, title, body in ARTICLES:
        entity = entities.get(entity_code)
        if entity is None or code not in languages:
            continue  # a partial directory (tests) has not every entity or language
        service = service_by_code.get(service_code) if service_code else None
        if service is not None and service.entity_id != entity.pk:
            service = None
        created += _upsert(
            slug=slug,
            kind=kind,
            entity=entity,
            service=service,
            language=languages[code],
            title=title,
            body=body,
            review_due=review_due,
        )
        total += 1
    return f"{total} published articles ({created} new)"
