"""Batch files as jobs: submit, process row by row, output. (portal pages)"""
