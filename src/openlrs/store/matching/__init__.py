"""Matching: name frequencies, the duplicate audit and its queue. (storage)"""
