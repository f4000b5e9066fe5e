"""Organisations, users, API clients, sign-in. (use cases)"""
