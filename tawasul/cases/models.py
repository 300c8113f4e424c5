"""Cases: what has to be resolved for a resident, with its reference, SLA and full history."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tawasul.cases.choices import CaseKind, CaseStatus, EventKind, NoteVisibility, Priority
from tawasul.core.storage import attachment_storage


class ReferenceCounter(models.Model):
    """The last sequence number handed out for one prefix (hotline number) and year."""

    prefix = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="reference_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class SlaPolicy(models.Model):
    """Targets in business hours for an entity × kind × priority (entity empty = default)."""

    entity = models.ForeignKey(
        "directory.Entity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sla_policies",
        verbose_name=_("entity"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CaseKind.choices)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices)
    first_response_hours = models.DecimalField(
        _("first response (business hours)"), max_digits=7, decimal_places=2
    )
    resolution_hours = models.DecimalField(
        _("resolution (business hours)"), max_digits=7, decimal_places=2
    )

    class Meta:
        ordering = ["entity__code", "kind", "priority"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "kind", "priority"], name="sla_policy_unique_target"
            ),
            models.UniqueConstraint(
                fields=["kind", "priority"],
                condition=models.Q(entity__isnull=True),
                name="sla_policy_unique_default",
            ),
        ]

    def __str__(self) -> str:
        scope = self.entity.code if self.entity_id else "*"
        return f"{scope} {self.kind}/{self.priority}: {self.resolution_hours} h"


class Case(models.Model):
    """An inquiry, complaint, report or suggestion with a lifecycle and an SLA."""

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=CaseKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.NEW
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    hotline = models.ForeignKey(
        "directory.Hotline", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entity = models.ForeignKey(
        "directory.Entity", on_delete=models.PROTECT, related_name="cases", verbose_name=_("entity")
    )
    service = models.ForeignKey(
        "directory.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    channel = models.CharField(_("origin channel"), max_length=10, blank=True)
    # The phone and e-mail given with the contact that opened the case ([["phone", "+974…"]]):
    # a one-time code for this case may go to them even while they are unverified, and to no
    # other unverified contact of the resident (someone else may have typed those).
    contacts_given = models.JSONField(_("contacts given"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=8, default="ar")
    subject = models.CharField(_("subject"), max_length=300)
    description = models.TextField(_("description"))
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    interactions = models.ManyToManyField(
        "interactions.Interaction", blank=True, related_name="cases"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sla_policy = models.ForeignKey(
        SlaPolicy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True, db_index=True)
    sla_paused_at = models.DateTimeField(_("SLA paused since"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    next_escalation_at = models.DateTimeField(null=True, blank=True, db_index=True)
    resolution = models.TextField(_("resolution note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["entity", "status"], name="case_entity_status"),
            models.Index(fields=["status", "resolution_due"], name="case_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="case_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="case_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class CaseEvent(models.Model):
    """One line of a case's history: never edited, never deleted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case history")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class CaseNote(models.Model):
    """An internal note for staff, or a message to the resident (delivered by the outbox)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    visibility = models.CharField(_("visibility"), max_length=16, choices=NoteVisibility.choices)
    body = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_label = models.CharField(max_length=150)
    delivery_channel = models.CharField(_("delivery channel"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return f"{self.get_visibility_display()} #{self.pk}"


class FollowUp(models.Model):
    """A promise to come back to the case (call the resident, chase the department) by a time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    due_at = models.DateTimeField(_("due"), db_index=True)
    note = models.CharField(_("what to do"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.due_at:%Y-%m-%d %H:%M} {self.note[:40]}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random name under the case: no user-supplied name ever becomes a path, and the name on
    # disk does not give away the content's hash (which would confirm a known document).
    return f"cases/{instance.case_id}/{secrets.token_hex(16)}"


class Attachment(models.Model):
    """A checked file on a case (type sniffed from its bytes, size limited), encrypted at rest:
    ``file.open()`` reads the plaintext (``tawasul.core.storage.EncryptedStorage``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200, storage=attachment_storage)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.UniqueConstraint(fields=["case", "sha256"], name="attachment_unique_content"),
        ]

    def __str__(self) -> str:
        return self.filename
