"""Learners' own accounts: activation, sign-in, share codes. (rules)"""
