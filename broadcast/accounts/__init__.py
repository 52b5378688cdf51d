"""Office accounts: users with a role and a scope (see broadcast.units.scope), passwords, sign-in, browser sessions."""
