"""The SIP voice gateway, IVR flows, prompts and recordings."""
