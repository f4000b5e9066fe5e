"""Removing data whose retention period has run out."""
