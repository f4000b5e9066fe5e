"""Learners' own pages (/learner/), the public /check-a-record and /privacy pages, and the
organisations' page that issues activation codes."""
