"""REST endpoints of the voice app (mounted by tawasul/api/api.py)."""

from ninja import Router

router = Router(tags=["voice"])
