"""Accounts: the User model, authentication views, roles and permissions."""
