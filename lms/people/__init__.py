"""People, the authority tree, roles and HR scopes, user import and SSO claim mapping."""
