"""Messages (announcements): drafting from directives, editing and, later, approval."""
