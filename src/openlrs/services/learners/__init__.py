"""Learners: register, find, update, verify; the exceptions queue. (use cases)"""
