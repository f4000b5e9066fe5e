"""Removing data whose retention period has run out (the policy: domain/retention)."""
