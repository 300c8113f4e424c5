"""What the center itself says to residents, in every hotline language, in one place.

The voice gateway's own words (language menu, invalid or missing keys, case status, queue
position, call-back offers, hold), the case-status labels a resident hears or reads, and the
acknowledgements and one-time codes sent by SMS, e-mail and the app. Staff-facing text stays in
the gettext catalogues; these texts are plain data, so adding a hotline language is one column
here (``tests/test_resident_texts.py`` checks that every language has every key with the
placeholders of the English text).

Fallback rule, when a text is not written in the resident's language: the resident's language
→ the hotline's first language → Arabic → English.

Two renderings:

* :func:`written` for plain-text channels (SMS, e-mail, push): values put into a right-to-left
  sentence (Arabic, Urdu) are wrapped in Unicode isolates (FSI … PDI), and so are right-to-left
  values in a left-to-right sentence (an Arabic name in an English text), so a Latin reference
  or a code keeps its order and does not drag the punctuation around it. A left-to-right text
  with left-to-right values gets no isolates: an English SMS stays in the GSM 7-bit alphabet.
* :func:`spoken` for the IVR: references and hotline numbers are read digit by digit (a
  reference is the sequence a caller types, ``1111 2026 000042``, not "one thousand one
  hundred and eleven"); espeak-ng's Nepali voice reads Latin digits in English, so Nepali gets
  Devanagari digits; Tagalog is read by the Indonesian voice (``tawasul.voice.prompts``), which
  would say Indonesian numbers, so Tagalog numbers are written out in Tagalog words.

Pure Python (no Django): the gateway's call threads and the tests use it without a request.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

# The languages the demo hotlines offer (tawasul.directory.demo_data.LANGUAGES).
LANGUAGES = ("ar", "en", "ur", "hi", "ml", "bn", "ne", "tl", "fr")
# How each language names itself (a resident picks "the language of our answers" by it).
NATIVE_NAMES = {
    "ar": "العربية",
    "en": "English",
    "ur": "اردو",
    "hi": "हिन्दी",
    "ml": "മലയാളം",
    "bn": "বাংলা",
    "ne": "नेपाली",
    "tl": "Tagalog",
    "fr": "Français",
}
RTL_LANGUAGES = frozenset({"ar", "ur", "fa", "he", "ps", "ckb"})
FINAL_FALLBACKS = ("ar", "en")

FSI, PDI = "\u2068", "\u2069"
_RTL_CHAR = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
# Values read digit by digit on the phone.
SPELLED = frozenset({"reference", "hotline", "code"})

TEXTS: dict[str, dict[str, str]] = {
    # --- the voice gateway ----------------------------------------------------------------
    # Each language names itself, in its own voice, in the language menu.
    "lang_choice": {
        "en": "For English, press {digit}.",
        "ar": "للعربية، اضغط {digit}.",
        "ur": "اردو کے لیے {digit} دبائیں۔",
        "hi": "हिन्दी के लिए {digit} दबाएँ।",
        "ml": "മലയാളത്തിന് {digit} അമർത്തുക.",
        "bn": "বাংলার জন্য {digit} চাপুন।",
        "ne": "नेपालीका लागि {digit} थिच्नुहोस्।",
        "tl": "Para sa Tagalog, pindutin ang {digit}.",
        "fr": "Pour le français, appuyez sur {digit}.",
    },
    "invalid": {
        "en": "Sorry, that is not a valid choice.",
        "ar": "عذراً، هذا اختيار غير صحيح.",
        "ur": "معذرت، یہ درست انتخاب نہیں ہے۔",
        "hi": "क्षमा करें, यह मान्य विकल्प नहीं है।",
        "ml": "ക്ഷമിക്കണം, അത് സാധുവായ ഒരു തിരഞ്ഞെടുപ്പല്ല.",
        "bn": "দুঃখিত, এটি সঠিক বিকল্প নয়।",
        "ne": "माफ गर्नुहोस्, यो मान्य विकल्प होइन।",
        "tl": "Paumanhin, hindi tamang pagpili iyan.",
        "fr": "Désolé, ce choix n'est pas valide.",
    },
    "no_input": {
        "en": "We did not receive your choice.",
        "ar": "لم نستلم اختيارك.",
        "ur": "ہمیں آپ کا انتخاب موصول نہیں ہوا۔",
        "hi": "हमें आपका विकल्प प्राप्त नहीं हुआ।",
        "ml": "നിങ്ങളുടെ തിരഞ്ഞെടുപ്പ് ഞങ്ങൾക്ക് ലഭിച്ചില്ല.",
        "bn": "আমরা আপনার বিকল্পটি পাইনি।",
        "ne": "हामीले तपाईंको विकल्प प्राप्त गरेनौं।",
        "tl": "Wala kaming natanggap na pagpili.",
        "fr": "Nous n'avons pas reçu votre choix.",
    },
    "case_status": {
        "en": "The status of case {reference} is: {status}.",
        "ar": "حالة البلاغ {reference} هي: {status}.",
        "ur": "درخواست نمبر {reference} کی صورتحال: {status}۔",
        "hi": "अनुरोध संख्या {reference} की स्थिति: {status}।",
        "ml": "അപേക്ഷ നമ്പർ {reference}, നിലവിലെ സ്ഥിതി: {status}.",
        "bn": "অনুরোধ নম্বর {reference}, বর্তমান অবস্থা: {status}।",
        "ne": "अनुरोध नम्बर {reference} को स्थिति: {status}।",
        "tl": "Ang katayuan ng kaso {reference} ay: {status}.",
        "fr": "Le statut du dossier {reference} est : {status}.",
    },
    "case_unknown": {
        "en": "We could not find a case with that number.",
        "ar": "لم نجد بلاغاً بهذا الرقم.",
        "ur": "ہمیں اس نمبر کی کوئی درخواست نہیں ملی۔",
        "hi": "हमें इस संख्या का कोई अनुरोध नहीं मिला।",
        "ml": "ഈ നമ്പറിൽ ഒരു അപേക്ഷയും കണ്ടെത്താനായില്ല.",
        "bn": "এই নম্বরে কোনো অনুরোধ খুঁজে পাওয়া যায়নি।",
        "ne": "यस नम्बरको कुनै अनुरोध फेला परेन।",
        "tl": "Wala kaming nakitang kaso na may ganoong numero.",
        "fr": "Nous n'avons trouvé aucun dossier portant ce numéro.",
    },
    "no_procedure": {
        "en": "This procedure is not available by phone. Please hold for an agent.",
        "ar": "هذا الإجراء غير متاح عبر الهاتف. يرجى الانتظار للتحدث مع أحد الموظفين.",
        "ur": "یہ طریقۂ کار فون پر دستیاب نہیں ہے۔ "
        "براہِ کرم نمائندے سے بات کرنے کے لیے انتظار کریں۔",
        "hi": "यह प्रक्रिया फ़ोन पर उपलब्ध नहीं है। कृपया प्रतिनिधि से बात करने के लिए प्रतीक्षा करें।",
        "ml": "ഈ നടപടിക്രമം ഫോണിൽ ലഭ്യമല്ല. ദയവായി ഒരു ഉദ്യോഗസ്ഥനുമായി സംസാരിക്കാൻ കാത്തിരിക്കുക.",
        "bn": "এই প্রক্রিয়াটি ফোনে পাওয়া যায় না। অনুগ্রহ করে প্রতিনিধির সাথে কথা বলার জন্য অপেক্ষা করুন।",
        "ne": "यो प्रक्रिया फोनबाट उपलब्ध छैन। कृपया प्रतिनिधिसँग कुरा गर्न पर्खनुहोस्।",
        "tl": "Hindi makukuha sa telepono ang prosesong ito. Maghintay po para sa isang ahente.",
        "fr": "Cette démarche n'est pas disponible par téléphone. Veuillez patienter, "
        "un conseiller va vous répondre.",
    },
    "hold": {
        "en": "Please hold, an agent will answer you shortly.",
        "ar": "يرجى الانتظار، سيرد عليك أحد الموظفين قريباً.",
        "ur": "براہِ کرم انتظار کریں، ہمارا نمائندہ جلد آپ سے بات کرے گا۔",
        "hi": "कृपया प्रतीक्षा करें, हमारे प्रतिनिधि शीघ्र ही आपसे बात करेंगे।",
        "ml": "ദയവായി കാത്തിരിക്കുക, ഞങ്ങളുടെ ഉദ്യോഗസ്ഥൻ ഉടൻ നിങ്ങളുമായി സംസാരിക്കും.",
        "bn": "অনুগ্রহ করে অপেক্ষা করুন, আমাদের একজন প্রতিনিধি শীঘ্রই আপনার সাথে কথা বলবেন।",
        "ne": "कृपया पर्खनुहोस्, हाम्रो प्रतिनिधिले छिट्टै तपाईंसँग कुरा गर्नुहुनेछ।",
        "tl": "Maghintay po sandali, may ahenteng sasagot sa inyo.",
        "fr": "Veuillez patienter, un conseiller va vous répondre dans un instant.",
    },
    "position": {
        "en": "You are number {position} in line. The expected wait is about {minutes} minutes.",
        "ar": "ترتيبك في الانتظار {position}. مدة الانتظار المتوقعة حوالي {minutes} دقائق.",
        "ur": "قطار میں آپ کا نمبر {position} ہے۔ متوقع انتظار تقریباً {minutes} منٹ ہے۔",
        "hi": "कतार में आपका क्रमांक {position} है। अनुमानित प्रतीक्षा समय लगभग {minutes} मिनट है।",
        "ml": "നിരയിൽ നിങ്ങളുടെ സ്ഥാനം {position} ആണ്. ഏകദേശം {minutes} മിനിറ്റ് കാത്തിരിക്കേണ്ടി വരും.",
        "bn": "সারিতে আপনার অবস্থান {position}। আনুমানিক অপেক্ষার সময় প্রায় {minutes} মিনিট।",
        "ne": "लाइनमा तपाईंको क्रम {position} हो। अनुमानित प्रतीक्षा समय करिब {minutes} मिनेट हो।",
        "tl": "Ang inyong numero sa pila ay {position}. Mga {minutes} minuto ang inaasahang "
        "paghihintay.",
        "fr": "Vous êtes en position {position} dans la file d'attente. L'attente estimée est "
        "d'environ {minutes} minutes.",
    },
    # The same with a wait of one minute ("1 minutes" is wrong in English and French).
    "position_one_minute": {
        "en": "You are number {position} in line. The expected wait is about one minute.",
        "ar": "ترتيبك في الانتظار {position}. مدة الانتظار المتوقعة حوالي دقيقة واحدة.",
        "ur": "قطار میں آپ کا نمبر {position} ہے۔ متوقع انتظار تقریباً ایک منٹ ہے۔",
        "hi": "कतार में आपका क्रमांक {position} है। अनुमानित प्रतीक्षा समय लगभग एक मिनट है।",
        "ml": "നിരയിൽ നിങ്ങളുടെ സ്ഥാനം {position} ആണ്. ഏകദേശം ഒരു മിനിറ്റ് കാത്തിരിക്കേണ്ടി വരും.",
        "bn": "সারিতে আপনার অবস্থান {position}। আনুমানিক অপেক্ষার সময় প্রায় এক মিনিট।",
        "ne": "लाइनमा तपाईंको क्रम {position} हो। अनुमानित प्रतीक्षा समय करिब एक मिनेट हो।",
        "tl": "Ang inyong numero sa pila ay {position}. Mga isang minuto ang inaasahang "
        "paghihintay.",
        "fr": "Vous êtes en position {position} dans la file d'attente. L'attente estimée est "
        "d'environ une minute.",
    },
    "queue_full": {
        "en": "All our agents are busy and the line is full. To be called back, press 1.",
        "ar": "جميع الموظفين مشغولون وخط الانتظار ممتلئ. لطلب معاودة الاتصال، اضغط 1.",
        "ur": "ہمارے تمام نمائندے مصروف ہیں اور انتظار کی گنجائش پوری ہو چکی ہے۔ "
        "واپس کال حاصل کرنے کے لیے 1 دبائیں۔",
        "hi": "हमारे सभी प्रतिनिधि व्यस्त हैं और प्रतीक्षा कतार भर चुकी है। वापस कॉल पाने के लिए 1 दबाएँ।",
        "ml": "ഞങ്ങളുടെ എല്ലാ ഉദ്യോഗസ്ഥരും തിരക്കിലാണ്, കാത്തിരിപ്പ് നിര നിറഞ്ഞിരിക്കുന്നു. "
        "ഞങ്ങൾ നിങ്ങളെ തിരികെ വിളിക്കാൻ 1 അമർത്തുക.",
        "bn": "আমাদের সকল প্রতিনিধি ব্যস্ত আছেন এবং অপেক্ষার সারি পূর্ণ। ফিরতি কল পেতে 1 চাপুন।",
        "ne": "हाम्रा सबै प्रतिनिधिहरू व्यस्त हुनुहुन्छ र प्रतीक्षा लाइन भरिएको छ। "
        "फिर्ता कल प्राप्त गर्न 1 थिच्नुहोस्।",
        "tl": "Abala ang lahat ng ahente at puno ang pila. Para tawagan namin kayo, "
        "pindutin ang 1.",
        "fr": "Tous nos conseillers sont occupés et la file d'attente est complète. "
        "Pour être rappelé, appuyez sur 1.",
    },
    "callback_offer": {
        "en": "To be called back instead of waiting, press 1.",
        "ar": "لطلب معاودة الاتصال بدلاً من الانتظار، اضغط 1.",
        "ur": "انتظار کرنے کے بجائے واپس کال حاصل کرنے کے لیے 1 دبائیں۔",
        "hi": "प्रतीक्षा करने के बजाय वापस कॉल पाने के लिए 1 दबाएँ।",
        "ml": "കാത്തിരിക്കുന്നതിനു പകരം ഞങ്ങൾ നിങ്ങളെ തിരികെ വിളിക്കാൻ 1 അമർത്തുക.",
        "bn": "অপেক্ষা না করে ফিরতি কল পেতে 1 চাপুন।",
        "ne": "पर्खनुको सट्टा फिर्ता कल प्राप्त गर्न 1 थिच्नुहोस्।",
        "tl": "Para tawagan namin kayo sa halip na maghintay, pindutin ang 1.",
        "fr": "Pour être rappelé plutôt que de patienter, appuyez sur 1.",
    },
    "callback_done": {
        "en": "Thank you. You keep your place in line, and we will call you back on this number.",
        "ar": "شكراً لك. ستحتفظ بدورك في الانتظار، وسنعاود الاتصال بك على هذا الرقم.",
        "ur": "شکریہ۔ قطار میں آپ کی باری محفوظ ہے، اور ہم آپ کو اسی نمبر پر واپس کال کریں گے۔",
        "hi": "धन्यवाद। कतार में आपका स्थान सुरक्षित है, और हम आपको इसी नंबर पर वापस कॉल करेंगे।",
        "ml": "നന്ദി. നിരയിലെ നിങ്ങളുടെ സ്ഥാനം നിലനിർത്തും, ഈ നമ്പറിൽ ഞങ്ങൾ നിങ്ങളെ തിരികെ വിളിക്കും.",
        "bn": "ধন্যবাদ। সারিতে আপনার স্থান সংরক্ষিত থাকবে, এবং আমরা এই নম্বরে আপনাকে ফিরতি কল করব।",
        "ne": "धन्यवाद। लाइनमा तपाईंको पालो सुरक्षित रहनेछ, र हामी तपाईंलाई यही नम्बरमा फिर्ता कल गर्नेछौं।",
        "tl": "Salamat po. Hawak ninyo pa rin ang inyong puwesto sa pila, at tatawagan namin kayo "
        "sa numerong ito.",
        "fr": "Merci. Vous conservez votre place dans la file d'attente et nous vous "
        "rappellerons à ce numéro.",
    },
    "sorry_full": {
        "en": "Please call again later. Goodbye.",
        "ar": "يرجى الاتصال لاحقاً. مع السلامة.",
        "ur": "براہِ کرم کچھ دیر بعد دوبارہ کال کریں۔ اللہ حافظ۔",
        "hi": "कृपया कुछ समय बाद दोबारा कॉल करें। धन्यवाद।",
        "ml": "ദയവായി അൽപസമയത്തിന് ശേഷം വീണ്ടും വിളിക്കുക. നന്ദി.",
        "bn": "অনুগ্রহ করে কিছুক্ষণ পরে আবার কল করুন। ধন্যবাদ।",
        "ne": "कृपया केही समयपछि फेरि फोन गर्नुहोस्। धन्यवाद।",
        "tl": "Pakitawag po muli mamaya. Paalam.",
        "fr": "Veuillez rappeler plus tard. Au revoir.",
    },
    "agent_hold": {
        "en": "Please stay on the line, the agent will be right back with you.",
        "ar": "يرجى البقاء على الخط، سيعود إليك الموظف بعد قليل.",
        "ur": "براہِ کرم لائن پر رہیں، نمائندہ ابھی آپ سے دوبارہ بات کرے گا۔",
        "hi": "कृपया लाइन पर बने रहें, प्रतिनिधि अभी आपसे दोबारा बात करेंगे।",
        "ml": "ദയവായി ലൈനിൽ തുടരുക, ഉദ്യോഗസ്ഥൻ ഉടൻ തിരികെ വരും.",
        "bn": "অনুগ্রহ করে লাইনে থাকুন, প্রতিনিধি এখনই আবার আপনার সাথে কথা বলবেন।",
        "ne": "कृपया लाइनमा रहनुहोस्, प्रतिनिधि छिट्टै फेरि तपाईंसँग कुरा गर्नुहुनेछ।",
        "tl": "Manatili po sa linya, babalik agad ang ahente.",
        "fr": "Veuillez rester en ligne, votre conseiller revient vers vous dans un instant.",
    },
    "callback_intro": {
        "en": "This is the call-back you asked for from hotline {hotline}. Connecting you now.",
        "ar": "هذه معاودة الاتصال التي طلبتها من الخط {hotline}. جار تحويلك الآن.",
        "ur": "یہ ہاٹ لائن {hotline} سے آپ کی مطلوبہ واپسی کال ہے۔ ہم آپ کو ابھی ملا رہے ہیں۔",
        "hi": "यह हॉटलाइन {hotline} से आपकी माँगी गई वापसी कॉल है। हम आपको अभी जोड़ रहे हैं।",
        "ml": "നിങ്ങൾ ആവശ്യപ്പെട്ടതനുസരിച്ച് ഹോട്ട്‌ലൈൻ നമ്പർ {hotline} തിരികെ വിളിക്കുന്നു. ഇപ്പോൾ ബന്ധിപ്പിക്കുന്നു.",
        "bn": "আপনার অনুরোধ অনুযায়ী হটলাইন {hotline} থেকে আপনাকে ফিরতি কল করা হচ্ছে। এখনই সংযোগ দেওয়া হচ্ছে।",
        "ne": "तपाईंको अनुरोधअनुसार हटलाइन {hotline} बाट तपाईंलाई फिर्ता कल गरिएको हो। अहिले जोडिँदैछ।",
        "tl": "Ito po ang pagtawag pabalik na hiniling ninyo mula sa hotline {hotline}. "
        "Ikinokonekta na namin kayo.",
        "fr": "Voici le rappel que vous avez demandé à la ligne {hotline}. "
        "Nous vous mettons en relation.",
    },
    "connecting": {
        "en": "Connecting you to an agent.",
        "ar": "جار تحويلك إلى أحد الموظفين.",
        "ur": "ہم آپ کو نمائندے سے ملا رہے ہیں۔",
        "hi": "हम आपको प्रतिनिधि से जोड़ रहे हैं।",
        "ml": "ഞങ്ങൾ നിങ്ങളെ ഒരു ഉദ്യോഗസ്ഥനുമായി ബന്ധിപ്പിക്കുന്നു.",
        "bn": "আমরা আপনাকে একজন প্রতিনিধির সাথে সংযুক্ত করছি।",
        "ne": "हामी तपाईंलाई प्रतिनिधिसँग जोड्दैछौं।",
        "tl": "Ikinokonekta namin kayo sa isang ahente.",
        "fr": "Nous vous mettons en relation avec un conseiller.",
    },
    # --- case status as a resident hears or reads it (cases.choices.CaseStatus values) -----
    # Worded for the resident ("waiting for information from you"), not the staff label.
    "status.new": {
        "en": "Received",
        "ar": "تم الاستلام",
        "ur": "موصول ہو گئی",
        "hi": "प्राप्त हो गया",
        "ml": "ലഭിച്ചു",
        "bn": "গৃহীত",
        "ne": "प्राप्त भयो",
        "tl": "Natanggap na",
        "fr": "Reçu",
    },
    "status.assigned": {
        "en": "With the competent department",
        "ar": "محال إلى الجهة المختصة",
        "ur": "متعلقہ شعبے کو بھیج دی گئی",
        "hi": "संबंधित विभाग को भेजा गया",
        "ml": "ബന്ധപ്പെട്ട വകുപ്പിന് കൈമാറി",
        "bn": "সংশ্লিষ্ট বিভাগে পাঠানো হয়েছে",
        "ne": "सम्बन्धित विभागमा पठाइएको",
        "tl": "Naipasa na sa kinauukulang departamento",
        "fr": "Transmis au service compétent",
    },
    "status.in_progress": {
        "en": "In progress",
        "ar": "قيد المعالجة",
        "ur": "زیرِ کارروائی",
        "hi": "प्रक्रिया में",
        "ml": "നടപടി പുരോഗമിക്കുന്നു",
        "bn": "প্রক্রিয়াধীন",
        "ne": "प्रक्रियामा",
        "tl": "Inaasikaso na",
        "fr": "En cours de traitement",
    },
    "status.awaiting_resident": {
        "en": "Waiting for information from you",
        "ar": "بانتظار معلومات منكم",
        "ur": "آپ کی طرف سے معلومات کا انتظار ہے",
        "hi": "आपसे जानकारी की प्रतीक्षा है",
        "ml": "നിങ്ങളിൽ നിന്നുള്ള വിവരങ്ങൾക്കായി കാത്തിരിക്കുന്നു",
        "bn": "আপনার কাছ থেকে তথ্যের অপেক্ষায়",
        "ne": "तपाईंबाट जानकारीको प्रतीक्षामा",
        "tl": "Hinihintay ang impormasyon mula sa inyo",
        "fr": "En attente d'informations de votre part",
    },
    "status.resolved": {
        "en": "Resolved",
        "ar": "تمت المعالجة",
        "ur": "حل ہو گئی",
        "hi": "समाधान हो गया",
        "ml": "പരിഹരിച്ചു",
        "bn": "সমাধান হয়েছে",
        "ne": "समाधान भयो",
        "tl": "Nalutas na",
        "fr": "Résolu",
    },
    "status.closed": {
        "en": "Closed",
        "ar": "مغلق",
        "ur": "بند کر دی گئی",
        "hi": "बंद",
        "ml": "അവസാനിപ്പിച്ചു",
        "bn": "বন্ধ",
        "ne": "बन्द गरिएको",
        "tl": "Sarado na",
        "fr": "Clôturé",
    },
    # --- acknowledgements and codes (SMS, e-mail, app) -------------------------------------
    "ack.new": {
        "en": "Thank you for contacting us. Your reference number is {reference}. "
        "Keep it to follow your request; we will reply on this channel.",
        "ar": "شكرًا لتواصلكم معنا. رقم بلاغكم المرجعي هو {reference}. احتفظوا به لمتابعة "
        "طلبكم؛ وسنرد عليكم عبر هذه القناة.",
        "ur": "ہم سے رابطہ کرنے کا شکریہ۔ آپ کا حوالہ نمبر {reference} ہے۔ اپنی درخواست کی "
        "پیروی کے لیے اسے محفوظ رکھیں؛ ہم اسی ذریعے سے آپ کو جواب دیں گے۔",
        "hi": "हमसे संपर्क करने के लिए धन्यवाद। आपकी संदर्भ संख्या {reference} है। अपने "
        "अनुरोध की जानकारी के लिए इसे सँभालकर रखें; हम इसी माध्यम से आपको उत्तर देंगे।",
        "ml": "ഞങ്ങളെ ബന്ധപ്പെട്ടതിന് നന്ദി. നിങ്ങളുടെ റഫറൻസ് നമ്പർ {reference} ആണ്. "
        "അപേക്ഷയുടെ തുടർവിവരങ്ങൾ അറിയാൻ ഇത് സൂക്ഷിച്ചുവയ്ക്കുക; ഇതേ മാർഗത്തിലൂടെ ഞങ്ങൾ "
        "മറുപടി നൽകും.",
        "bn": "আমাদের সাথে যোগাযোগ করার জন্য ধন্যবাদ। আপনার রেফারেন্স নম্বর {reference}। "
        "আপনার অনুরোধের অগ্রগতি জানতে এটি সংরক্ষণ করুন; আমরা এই মাধ্যমেই আপনাকে উত্তর দেব।",
        "ne": "हामीलाई सम्पर्क गर्नुभएकोमा धन्यवाद। तपाईंको सन्दर्भ नम्बर {reference} हो। "
        "आफ्नो अनुरोधको जानकारी लिन यसलाई सुरक्षित राख्नुहोस्; हामी यही माध्यमबाट तपाईंलाई "
        "जवाफ दिनेछौं।",
        "tl": "Salamat po sa pakikipag-ugnayan sa amin. Ang inyong reference number ay "
        "{reference}. Itago po ninyo ito upang masubaybayan ang inyong kahilingan; sasagot "
        "kami sa inyo sa channel na ito.",
        "fr": "Merci de nous avoir contactés. Votre numéro de référence est {reference}. "
        "Conservez-le pour suivre votre demande ; nous vous répondrons par ce même canal.",
    },
    "ack.added": {
        "en": "We have added your message to {reference}. Thank you.",
        "ar": "أضفنا رسالتكم إلى البلاغ {reference}. شكرًا لكم.",
        "ur": "ہم نے آپ کا پیغام درخواست نمبر {reference} میں شامل کر دیا ہے۔ شکریہ۔",
        "hi": "हमने आपका संदेश अनुरोध संख्या {reference} में जोड़ दिया है। धन्यवाद।",
        "ml": "നിങ്ങളുടെ സന്ദേശം {reference} എന്ന അപേക്ഷയിൽ ചേർത്തിട്ടുണ്ട്. നന്ദി.",
        "bn": "আপনার বার্তাটি {reference} নম্বর অনুরোধে যুক্ত করা হয়েছে। ধন্যবাদ।",
        "ne": "तपाईंको सन्देश अनुरोध नम्बर {reference} मा थपिएको छ। धन्यवाद।",
        "tl": "Naidagdag na po namin ang inyong mensahe sa kahilingang {reference}. Salamat po.",
        "fr": "Nous avons ajouté votre message au dossier {reference}. Merci.",
    },
    "ack.subject": {
        "en": "We received your message",
        "ar": "استلمنا رسالتكم",
        "ur": "ہمیں آپ کا پیغام موصول ہو گیا ہے",
        "hi": "हमें आपका संदेश प्राप्त हुआ",
        "ml": "നിങ്ങളുടെ സന്ദേശം ഞങ്ങൾക്ക് ലഭിച്ചു",
        "bn": "আমরা আপনার বার্তা পেয়েছি",
        "ne": "हामीले तपाईंको सन्देश प्राप्त गरेका छौं",
        "tl": "Natanggap po namin ang inyong mensahe",
        "fr": "Nous avons bien reçu votre message",
    },
    "portal_ack": {
        "en": "We received your request. Your reference number is {reference}. Keep it to "
        "follow up your request on the portal.",
        "ar": "تم استلام طلبك. الرقم المرجعي لطلبك هو {reference}. احتفظ به لمتابعة طلبك عبر "
        "البوابة.",
        "ur": "آپ کی درخواست موصول ہو گئی ہے۔ آپ کا حوالہ نمبر {reference} ہے۔ پورٹل پر اپنی "
        "درخواست کی پیروی کے لیے اسے محفوظ رکھیں۔",
        "hi": "आपका अनुरोध प्राप्त हो गया है। आपकी संदर्भ संख्या {reference} है। पोर्टल पर "
        "अपने अनुरोध की स्थिति देखने के लिए इसे सँभालकर रखें।",
        "ml": "നിങ്ങളുടെ അപേക്ഷ ലഭിച്ചു. നിങ്ങളുടെ റഫറൻസ് നമ്പർ {reference} ആണ്. പോർട്ടലിൽ "
        "അപേക്ഷയുടെ തുടർവിവരങ്ങൾ അറിയാൻ ഇത് സൂക്ഷിച്ചുവയ്ക്കുക.",
        "bn": "আপনার অনুরোধটি গৃহীত হয়েছে। আপনার রেফারেন্স নম্বর {reference}। পোর্টালে "
        "আপনার অনুরোধের অগ্রগতি জানতে এটি সংরক্ষণ করুন।",
        "ne": "तपाईंको अनुरोध प्राप्त भयो। तपाईंको सन्दर्भ नम्बर {reference} हो। पोर्टलमा "
        "आफ्नो अनुरोधको जानकारी लिन यसलाई सुरक्षित राख्नुहोस्।",
        "tl": "Natanggap na po namin ang inyong kahilingan. Ang inyong reference number ay "
        "{reference}. Itago po ninyo ito upang masubaybayan ang inyong kahilingan sa portal.",
        "fr": "Nous avons bien reçu votre demande. Votre numéro de référence est {reference}. "
        "Conservez-le pour suivre votre demande sur le portail.",
    },
    "portal_ack.subject": {
        "en": "Request received: {reference}",
        "ar": "تم استلام طلبك: {reference}",
        "ur": "درخواست موصول: {reference}",
        "hi": "अनुरोध प्राप्त: {reference}",
        "ml": "അപേക്ഷ ലഭിച്ചു: {reference}",
        "bn": "অনুরোধ গৃহীত: {reference}",
        "ne": "अनुरोध प्राप्त: {reference}",
        "tl": "Natanggap ang kahilingan: {reference}",
        "fr": "Demande reçue : {reference}",
    },
    "otp": {
        "en": "Your code to follow request {reference} is {code}. It expires in {minutes} "
        "minutes. Do not share it.",
        "ar": "رمز التحقق لمتابعة الطلب {reference} هو {code}. صالح لمدة {minutes} دقائق. "
        "لا تشاركه مع أحد.",
        "ur": "درخواست نمبر {reference} کی پیروی کے لیے آپ کا کوڈ {code} ہے۔ یہ {minutes} منٹ "
        "میں ختم ہو جائے گا۔ اسے کسی کے ساتھ شیئر نہ کریں۔",
        "hi": "अनुरोध संख्या {reference} देखने के लिए आपका कोड {code} है। यह {minutes} मिनट "
        "में समाप्त हो जाएगा। इसे किसी के साथ साझा न करें।",
        "ml": "{reference} എന്ന അപേക്ഷ പിന്തുടരാനുള്ള നിങ്ങളുടെ കോഡ് {code} ആണ്. ഇത് "
        "{minutes} മിനിറ്റിനുള്ളിൽ കാലഹരണപ്പെടും. ഇത് ആരുമായും പങ്കിടരുത്.",
        "bn": "{reference} নম্বর অনুরোধটি দেখার জন্য আপনার কোড {code}। এটি {minutes} মিনিটের "
        "মধ্যে মেয়াদোত্তীর্ণ হবে। কারও সাথে এটি শেয়ার করবেন না।",
        "ne": "अनुरोध नम्बर {reference} हेर्नका लागि तपाईंको कोड {code} हो। यो {minutes} "
        "मिनेटमा समाप्त हुनेछ। यसलाई कसैसँग साझा नगर्नुहोस्।",
        "tl": "Ang inyong code para masubaybayan ang kahilingang {reference} ay {code}. "
        "Mawawalan ito ng bisa sa loob ng {minutes} minuto. Huwag po itong ibahagi kaninuman.",
        "fr": "Votre code pour suivre la demande {reference} est {code}. Il expire dans "
        "{minutes} minutes. Ne le communiquez à personne.",
    },
    "otp.subject": {
        "en": "Your one-time code for {reference}",
        "ar": "رمز التحقق للطلب {reference}",
        "ur": "درخواست {reference} کے لیے آپ کا یک وقتی کوڈ",
        "hi": "अनुरोध {reference} के लिए आपका एक-बार का कोड",
        "ml": "{reference} എന്ന അപേക്ഷയ്ക്കുള്ള ഒറ്റത്തവണ കോഡ്",
        "bn": "{reference} নম্বর অনুরোধের জন্য আপনার এককালীন কোড",
        "ne": "अनुरोध {reference} का लागि तपाईंको एक पटके कोड",
        "tl": "Ang inyong one-time code para sa {reference}",
        "fr": "Votre code à usage unique pour {reference}",
    },
    "push.case_title": {
        "en": "Reply on your request {reference}",
        "ar": "رد على طلبكم {reference}",
        "ur": "آپ کی درخواست {reference} پر جواب",
        "hi": "आपके अनुरोध {reference} पर उत्तर",
        "ml": "{reference} എന്ന അപേക്ഷയ്ക്ക് മറുപടി",
        "bn": "{reference} নম্বর অনুরোধের উত্তর",
        "ne": "तपाईंको अनुरोध {reference} मा जवाफ",
        "tl": "Tugon sa inyong kahilingang {reference}",
        "fr": "Réponse à votre demande {reference}",
    },
    "push.title": {
        "en": "Message from the contact center",
        "ar": "رسالة من مركز الاتصال",
        "ur": "رابطہ مرکز کی جانب سے پیغام",
        "hi": "संपर्क केंद्र से संदेश",
        "ml": "കോൺടാക്റ്റ് സെന്ററിൽ നിന്നുള്ള സന്ദേശം",
        "bn": "যোগাযোগ কেন্দ্র থেকে বার্তা",
        "ne": "सम्पर्क केन्द्रबाट सन्देश",
        "tl": "Mensahe mula sa contact center",
        "fr": "Message du centre de contact",
    },
}


def language_for(key: str, language: str | None, fallbacks: Iterable[str] = ()) -> str:
    """The language ``key`` is said in: ``language`` if it is written in it, else the first of
    ``fallbacks`` (the hotline's languages, first first) that is, else Arabic, else English."""
    texts = TEXTS[key]
    for code in (language, *fallbacks, *FINAL_FALLBACKS):
        if code and code in texts:
            return code
    return next(iter(texts))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def is_rtl(language: str) -> bool:
    return language.split("-")[0] in RTL_LANGUAGES


def isolate(value: str) -> str:
    return f"{FSI}{value}{PDI}"


def written(
    key: str,
    language: str | None,
    *,
    fallbacks: Iterable[str] = (),
    isolates: bool = True,
    **values: object,
) -> tuple[str, str]:
    """(text, language) for a plain-text channel, values isolated where directions mix
    (``isolates=False`` where the receiving app lays the text out itself)."""
    lang = language_for(key, language, fallbacks)
    rtl = is_rtl(lang)
    shown = {}
    for name, value in values.items():
        text = str(value)
        mixed = isolates and text and (rtl or _RTL_CHAR.search(text))
        shown[name] = isolate(text) if mixed else text
    return TEXTS[key][lang].format(**shown), lang


def status_label(status: str, language: str | None, *, fallbacks: Iterable[str] = ()) -> str:
    """A case status as the resident hears or reads it; an unknown status is returned as is."""
    key = f"status.{status}"
    if key not in TEXTS:
        return status
    lang = language_for(key, language, fallbacks)
    return TEXTS[key][lang]


# --- speech ---------------------------------------------------------------------------------

_DEVANAGARI_DIGITS = str.maketrans("0123456789", "०१२३४५६७८९")
_TL_ONES = ("sero", "isa", "dalawa", "tatlo", "apat", "lima", "anim", "pito", "walo", "siyam")
_TL_TEENS = (
    "sampu",
    "labing-isa",
    "labindalawa",
    "labintatlo",
    "labing-apat",
    "labinlima",
    "labing-anim",
    "labimpito",
    "labingwalo",
    "labinsiyam",
)
_TL_TENS = {
    2: "dalawampu",
    3: "tatlumpu",
    4: "apatnapu",
    5: "limampu",
    6: "animnapu",
    7: "pitumpu",
    8: "walumpu",
    9: "siyamnapu",
}
_TL_HUNDREDS = {
    1: "isandaan",
    2: "dalawandaan",
    3: "tatlong daan",
    4: "apat na raan",
    5: "limandaan",
    6: "anim na raan",
    7: "pitong daan",
    8: "walong daan",
    9: "siyam na raan",
}


def tagalog_number(n: int) -> str:
    """A number from 0 to 999 in Tagalog words (larger ones digit by digit)."""
    if n < 0 or n > 999:
        return " ".join(_TL_ONES[int(d)] for d in str(abs(n)))
    if n < 10:
        return _TL_ONES[n]
    if n < 20:
        return _TL_TEENS[n - 10]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TL_TENS[tens] + (f"'t {_TL_ONES[ones]}" if ones else "")
    hundreds, rest = divmod(n, 100)
    return _TL_HUNDREDS[hundreds] + (f" at {tagalog_number(rest)}" if rest else "")


def spell_digits(value: str) -> str:
    """``1111-2026-000042`` → ``1 1 1 1, 2 0 2 6, 0 0 0 0 4 2``: each digit on its own, a
    pause between the groups, as the caller typed them."""
    groups = [g for g in re.split(r"[^0-9A-Za-z]+", value) if g]
    return ", ".join(" ".join(group) for group in groups)


def for_voice(text: str, lang: str) -> str:
    """``text`` with its numbers in a form ``lang``'s espeak-ng voice reads in ``lang``
    (any prompt: the gateway's own, a flow's, a procedure)."""
    if lang == "ne":
        return text.translate(_DEVANAGARI_DIGITS)
    if lang in ("tl", "fil"):
        return re.sub(r"\d+", lambda m: tagalog_number(int(m.group())), text)
    return text


def spoken(
    key: str, language: str | None, *, fallbacks: Iterable[str] = (), **values: object
) -> tuple[str, str]:
    """(text, language) to synthesize: no isolates, references read digit by digit, numbers
    in a form the language's espeak-ng voice reads in that language."""
    lang = language_for(key, language, fallbacks)
    said = {
        name: spell_digits(str(value)) if name in SPELLED else str(value)
        for name, value in values.items()
    }
    return for_voice(TEXTS[key][lang].format(**said), lang), lang
