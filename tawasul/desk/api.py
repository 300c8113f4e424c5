"""REST endpoints of the desk app (mounted by tawasul/api/api.py)."""

from ninja import Router

router = Router(tags=["desk"])
