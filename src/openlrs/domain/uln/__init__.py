"""The ULN life cycle: merge, unmerge, split, ULN challenges. (domain)"""
