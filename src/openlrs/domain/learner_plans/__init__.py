"""Learner Plans: a learner plan kept with the learner record (decision 0026)."""
