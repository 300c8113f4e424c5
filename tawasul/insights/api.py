"""REST endpoints of the insights app (mounted by tawasul/api/api.py)."""

from ninja import Router

router = Router(tags=["insights"])
