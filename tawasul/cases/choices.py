from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report")
    SUGGESTION = "suggestion", _("Suggestion")


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned to department")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_RESIDENT = "awaiting_resident", _("Awaiting resident")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (
    CaseStatus.NEW,
    CaseStatus.ASSIGNED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.AWAITING_RESIDENT,
)


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    TRANSITION = "transition", _("Status changed")
    NOTE = "note", _("Internal note")
    MESSAGE = "message", _("Message to resident")
    ATTACHMENT = "attachment", _("Attachment added")
    ESCALATION = "escalation", _("Escalated")
    ASSIGNMENT = "assignment", _("Assigned")
    FOLLOW_UP = "follow_up", _("Follow-up")
    RESIDENT_REPLY = "resident_reply", _("Message from the resident")


class NoteVisibility(models.TextChoices):
    INTERNAL = "internal", _("Internal note")
    RESIDENT = "resident", _("Message to resident")
    FROM_RESIDENT = "from_resident", _("Message from resident")
