"""Learners: register, find, update, verify; the exceptions queue. (domain)"""
