"""Service procedures, FAQs and awareness articles with Arabic-aware search."""
