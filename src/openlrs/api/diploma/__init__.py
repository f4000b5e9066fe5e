"""Diploma accounts, aggregation, award, and QCF credit. (REST API)"""
