# The site slice becomes a reference to accounts.Site (it was an always-empty code). Roll-ups
# are derived data, so the old column is dropped rather than converted: run
# `tawasul rollups_rebuild` to fill the new one from the interactions.

import django.db.models.deletion
from django.db import migrations, models


def _site_field():
    return models.ForeignKey(
        blank=True,
        db_constraint=False,
        null=True,
        on_delete=django.db.models.deletion.DO_NOTHING,
        related_name="+",
        to="accounts.site",
        verbose_name="site",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_site_user_site"),
        ("insights", "0001_initial"),
    ]

    operations = [
        op
        for model in ("dailyrollup", "interactioncontribution", "interactionrollup")
        for op in (
            migrations.RemoveField(model_name=model, name="site"),
            migrations.AddField(model_name=model, name="site", field=_site_field()),
        )
    ]
