"""broadcast: plan grassroots radio in Vietnam, from directives to station playlists."""

from __future__ import annotations

__version__ = "0.1.0"
