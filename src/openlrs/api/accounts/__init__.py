"""Organisations, users, API clients, sign-in. (REST API)"""
