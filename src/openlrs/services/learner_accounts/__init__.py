"""Learners' own accounts: activation codes, sign-in, their record, sharing it. (use cases)"""
