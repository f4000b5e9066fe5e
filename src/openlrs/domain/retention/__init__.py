"""How long each kind of data is kept (docs/data-protection.md, decisions/0023)."""
