"""The station side: fetch the days ahead from the server, play them on the station's clock, report what played.

The station's folder mirrors the server's export tree (``audio/<sha256>.mp3``, ``stations/<code>/<date>.json`` and
``.m3u8``), so its playlists play as is in VLC or mpv, and keeps its as-run log in ``asrun/<date>.jsonl``.
"""
