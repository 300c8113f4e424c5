"""Agent desktop, entity back office and supervisor views (staff web UI)."""
