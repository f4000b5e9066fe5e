"""Organisations, users, API clients, sign-in. (storage)"""
