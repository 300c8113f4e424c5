"""Contact points given by an unauthenticated channel stay unverified; only verified values
are unique (several residents may claim the same unverified phone).

Existing rows are marked verified where the database already holds the proof: a phone an SMS
arrived from, a social handle a signed webhook delivered from, an app account (made by the
server for one installation), a contact a one-time code was sent to and entered back. The
rest (typed into a form, an e-mail From, a caller ID, entered by staff) stay unverified.
"""

from django.db import migrations, models


def mark_proven(apps, schema_editor):
    ContactPoint = apps.get_model("residents", "ContactPoint")
    Interaction = apps.get_model("interactions", "Interaction")
    OneTimeCode = apps.get_model("portal", "OneTimeCode")
    proven = set(
        ContactPoint.objects.filter(kind="app").values_list("pk", flat=True)
    ) | set(
        OneTimeCode.objects.filter(used_at__isnull=False).values_list("contact_id", flat=True)
    )
    senders = {
        (kind, address.strip().lower()): resident_id
        for channel, kind in (("sms", "phone"), ("social", "social"))
        for address, resident_id in Interaction.objects.filter(
            channel=channel, direction="in", resident__isnull=False
        ).values_list("address", "resident_id")
    }
    for pk, kind, value, resident_id in ContactPoint.objects.filter(
        kind__in=["phone", "social"]
    ).values_list("pk", "kind", "value", "resident_id"):
        if senders.get((kind, value)) == resident_id:
            proven.add(pk)
    ContactPoint.objects.filter(pk__in=proven).update(verified=True)


class Migration(migrations.Migration):

    dependencies = [
        ('residents', '0001_initial'),
        ('interactions', '0002_interaction_site'),
        ('portal', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='contactpoint',
            name='contact_point_unique_value',
        ),
        migrations.AlterField(
            model_name='contactpoint',
            name='verified',
            field=models.BooleanField(default=False, help_text='The resident proved they hold it (a code sent to it, or an SMS from it).', verbose_name='verified'),
        ),
        migrations.AddIndex(
            model_name='contactpoint',
            index=models.Index(fields=['kind', 'value'], name='contact_point_kind_value'),
        ),
        migrations.AddConstraint(
            model_name='contactpoint',
            constraint=models.UniqueConstraint(condition=models.Q(('verified', True)), fields=('kind', 'value'), name='contact_point_unique_verified'),
        ),
        migrations.AddConstraint(
            model_name='contactpoint',
            constraint=models.UniqueConstraint(fields=('resident', 'kind', 'value'), name='contact_point_unique_per_resident'),
        ),
        migrations.RunPython(mark_proven, migrations.RunPython.noop),
    ]
