"""Office accounts: users with a role and a scope, their passwords, sign-in and browser sessions, and scope checks."""
