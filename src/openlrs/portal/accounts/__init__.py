"""Organisations, users, API clients, sign-in. (portal pages)"""
