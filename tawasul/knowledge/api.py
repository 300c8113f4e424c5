"""REST endpoints of the knowledge app (mounted by tawasul/api/api.py)."""

from ninja import Router

router = Router(tags=["knowledge"])
