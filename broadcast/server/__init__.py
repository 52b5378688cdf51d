"""The HTTP side: the stations' pull API (manifests, playlists, audio, emergencies, as-run logs)."""

from __future__ import annotations
