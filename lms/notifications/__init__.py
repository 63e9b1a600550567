"""E-mail notifications of mandatory training, each sent at most once (docs/decisions/0009)."""
