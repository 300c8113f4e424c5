# LoginAttempt comes over from desk with its rows: the model is created in Django's state on
# the existing table, then the table and its index are renamed.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_site_user_site'),
        ('desk', '0002_loginattempt_moved_to_accounts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='LoginAttempt',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('username', models.CharField(db_index=True, max_length=150, verbose_name='username')),
                        ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP address')),
                        ('at', models.DateTimeField(db_index=True, verbose_name='time')),
                        ('succeeded', models.BooleanField(default=False, verbose_name='succeeded')),
                        ('stage', models.CharField(default='password', max_length=10, verbose_name='stage')),
                    ],
                    options={
                        'verbose_name': 'sign-in attempt',
                        'verbose_name_plural': 'sign-in attempts',
                        'ordering': ['-at', '-id'],
                        'db_table': 'desk_loginattempt',
                        'indexes': [models.Index(fields=['ip_address', 'at'], name='desk_login_ip_at')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='loginattempt', table=None),
        migrations.RenameIndex(
            model_name='loginattempt', new_name='accounts_login_ip_at', old_name='desk_login_ip_at'
        ),
    ]
