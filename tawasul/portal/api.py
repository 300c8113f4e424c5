"""REST endpoints of the portal app (mounted by tawasul/api/api.py)."""

from ninja import Router

router = Router(tags=["portal"])
