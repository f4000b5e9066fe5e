"""Logs and metrics shared by the API, the batch worker and the CLI (docs/operations.md)."""
