import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0002_follow_ups'),
        ('omnichannel', '0001_outbox'),
        ('residents', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='outboxmessage',
            name='history',
            field=models.JSONField(blank=True, default=list, help_text='One line per attempt: when, channel, address and the outcome.', verbose_name='delivery attempts'),
        ),
        migrations.AddField(
            model_name='outboxmessage',
            name='claimed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='claimed by a worker'),
        ),
        migrations.CreateModel(
            name='MailSinkMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('received_at', models.DateTimeField(auto_now_add=True, verbose_name='received')),
                ('mail_from', models.CharField(max_length=254, verbose_name='from')),
                ('recipients', models.JSONField(default=list, verbose_name='to')),
                ('subject', models.CharField(blank=True, max_length=500, verbose_name='subject')),
                ('message_id', models.CharField(blank=True, max_length=255, verbose_name='Message-ID')),
                ('in_reply_to', models.CharField(blank=True, max_length=255, verbose_name='In-Reply-To')),
                ('reply_to', models.CharField(blank=True, max_length=254, verbose_name='Reply-To')),
                ('body', models.TextField(blank=True, verbose_name='text')),
                ('raw', models.BinaryField(verbose_name='raw message')),
            ],
            options={
                'verbose_name': 'caught e-mail',
                'verbose_name_plural': 'mail sink',
                'ordering': ['-received_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='CallbackTask',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('phone', models.CharField(max_length=32, verbose_name='phone')),
                ('script', models.TextField(verbose_name='what to tell the resident')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('done_at', models.DateTimeField(blank=True, null=True, verbose_name='done')),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='callbacks', to='cases.case')),
                ('outbox', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='callback', to='omnichannel.outboxmessage', verbose_name='message')),
                ('resident', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='callbacks', to='residents.resident')),
            ],
            options={
                'verbose_name': 'call-back task',
                'verbose_name_plural': 'call-back tasks',
                'ordering': ['created_at', 'id'],
            },
        ),
    ]
