"""Keep roll-ups and the wallboard in step with contacts and cases as they are saved.

The receivers are safe to run on every save because :func:`rollup_record` is idempotent (it
replaces the stored contribution). Case roll-ups are not kept on save — case creation is the
center's busiest write and stays lean — but by the periodic ``refresh_case_rollups`` task.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver

from tawasul.cases.models import Case
from tawasul.insights import services, wallboard
from tawasul.interactions.models import Interaction


@receiver(post_save, sender=Interaction, dispatch_uid="insights_interaction_saved")
def _interaction_saved(
    sender, instance: Interaction, created: bool = False, raw: bool = False, **kwargs
) -> None:
    if raw:  # fixtures: rebuild afterwards
        return
    services.rollup_record(interaction=instance, created=created)
    wallboard.wallboard_nudge()


@receiver(pre_delete, sender=Interaction, dispatch_uid="insights_interaction_deleted")
def _interaction_deleted(sender, instance: Interaction, **kwargs) -> None:
    services.rollup_forget(interaction_id=instance.pk)


@receiver(m2m_changed, sender=Case.interactions.through, dispatch_uid="insights_case_links")
def _case_links_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    # The service slice of a contact comes from its cases, so linking one may move it.
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    interactions = [instance] if reverse else list(Interaction.objects.filter(pk__in=pk_set or ()))
    for interaction in interactions:
        services.rollup_record(interaction=interaction)
