"""Diploma accounts, aggregation, award, and QCF credit. (portal pages)"""
