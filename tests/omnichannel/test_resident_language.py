"""Acknowledgements reach residents in their language, through the real SMS and e-mail paths.

Imran texts PHCC's 107 in Urdu from a new number: the case is opened, his language is told
from the Urdu letters, and the acknowledgement reaches his phone through Kannel in Urdu, the
Latin reference isolated inside the right-to-left sentence. Aisha, whose language on file is
Malayalam, writes an English e-mail: the acknowledgement is in Malayalam.
"""

from __future__ import annotations

import pytest

from tawasul.cases.models import Case
from tawasul.interactions.models import Interaction
from tawasul.omnichannel.inbound import language_of
from tawasul.omnichannel.models import MailSinkMessage, OutboxMessage
from tawasul.omnichannel.services import outbox_deliver_due
from tests.omnichannel.conftest import wait_until
from tests.omnichannel.test_email import message, send

pytestmark = [pytest.mark.timeout(120)]

FSI, PDI = "\u2068", "\u2069"
URDU = "میرے بیٹے کی ویکسین کی تاریخ کیا ہے؟"


def test_the_script_tells_the_language_of_a_message():
    assert language_of(URDU) == "ur"
    assert language_of("أرغب في حجز موعد لطفلي") == "ar"
    assert language_of("എന്റെ അപ്പോയിന്റ്മെന്റ് മാറ്റണം") == "ml"
    assert language_of("আমার কার্ড হারিয়ে গেছে") == "bn"
    assert language_of("मेरा कार्ड खो गया है") == "hi"
    assert language_of("My card is lost, ref 107-2026-000001") == "en"
    assert language_of("") == "en"


def test_an_urdu_sms_is_acknowledged_in_urdu_on_the_phone(transactional_db, directory, kannel):
    phone = "+97455987654"
    kannel.send_mo(sender=phone, receiver="107", text=URDU)
    interaction = wait_until(
        lambda: Interaction.objects.filter(channel="sms", address=phone).first(),
        what="the MO message",
    )
    case = interaction.cases.get()
    assert case.resident.preferred_language == "ur" and interaction.language == "ur"
    ack = OutboxMessage.objects.get(case=case)
    assert ack.language == "ur"
    assert ack.body.startswith("ہم سے رابطہ کرنے کا شکریہ")
    assert f"حوالہ نمبر {FSI}{case.reference}{PDI} ہے" in ack.body
    outbox_deliver_due()
    wait_until(
        lambda: (phone, ack.body) in kannel.sent(), what="the Urdu acknowledgement on the phone"
    )


def test_an_english_mail_gets_the_acknowledgement_in_the_language_on_file(
    transactional_db, directory, smtpd, mailsink, resident_factory
):
    aisha = resident_factory(email="aisha@example.qa")
    aisha.preferred_language = "ml"
    aisha.save()
    send(smtpd, message(subject="Card renewal", sender="aisha@example.qa", name="Aisha",
                        text="How do I renew my health card?"))  # fmt: skip
    case = Case.objects.get()
    assert case.resident == aisha
    [sent] = outbox_deliver_due()
    caught = MailSinkMessage.objects.get()
    assert caught.recipients == ["aisha@example.qa"]
    assert caught.body.startswith("ഞങ്ങളെ ബന്ധപ്പെട്ടതിന് നന്ദി.")
    assert f"റഫറൻസ് നമ്പർ {case.reference} ആണ്" in caught.body, "no isolates in LTR text"
    assert caught.subject == f"[{case.reference}] നിങ്ങളുടെ സന്ദേശം ഞങ്ങൾക്ക് ലഭിച്ചു"
    assert sent.language == "ml"
