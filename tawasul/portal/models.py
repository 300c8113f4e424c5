"""The resident-facing web portal and the mobile-app API."""
