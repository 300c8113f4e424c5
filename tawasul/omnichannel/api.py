"""REST endpoints of the omnichannel app (mounted by tawasul/api/api.py)."""

from ninja import Router

router = Router(tags=["omnichannel"])
