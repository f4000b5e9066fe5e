"""Server-rendered GOV.UK pages over the same use cases as the API (issue 6)."""
