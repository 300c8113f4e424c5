"""Settings of the workforce room (each overridable in Django settings)."""

from django.conf import settings

HISTORY_DAYS = getattr(settings, "WORKFORCE_HISTORY_DAYS", 91)
SERVICE_LEVEL = getattr(settings, "WORKFORCE_SERVICE_LEVEL", 0.80)
THRESHOLD = getattr(settings, "WORKFORCE_THRESHOLD_SECONDS", 20.0)
OCCUPANCY_CAP = getattr(settings, "WORKFORCE_OCCUPANCY_CAP", 0.85)
SHRINKAGE = getattr(settings, "WORKFORCE_SHRINKAGE", 0.30)
DEFAULT_AHT = getattr(settings, "WORKFORCE_DEFAULT_AHT_SECONDS", 180.0)
DEFAULT_PATIENCE = getattr(settings, "WORKFORCE_DEFAULT_PATIENCE_SECONDS", 120.0)
