"""Learners' own accounts: activation codes, accounts, share codes. (storage)"""
