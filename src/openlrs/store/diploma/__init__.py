"""Diploma accounts, aggregation, award, and QCF credit. (storage)"""
