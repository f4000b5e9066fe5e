"""Diploma rules of combination, QCF credit accumulation and grading (issue 8): pure functions over
rule files (`data/diplomas/`, `data/qcf/`) and a learner's results."""
