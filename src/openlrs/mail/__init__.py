"""E-mail transports for notifications: SMTP (stdlib) and GOV.UK Notify's HTTP API."""
