"""Diploma accounts, aggregation, award, and QCF credit. (use cases)"""
