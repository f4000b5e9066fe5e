"""Learners: register, find, update, verify; the exceptions queue. (portal pages)"""
