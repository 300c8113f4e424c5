"""Channel adapters (e-mail, SMS via Kannel, social, fax, Open311) and the outbox."""
