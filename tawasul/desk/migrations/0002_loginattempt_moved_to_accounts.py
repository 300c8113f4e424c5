# LoginAttempt moves to accounts (sign-in is not a desk concern). Only Django's model state
# changes here: the table and its rows stay, and accounts.0003 takes them over.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('desk', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='LoginAttempt')],
            database_operations=[],
        ),
    ]
