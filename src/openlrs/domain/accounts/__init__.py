"""Organisations, users, API clients, sign-in. (domain)"""
