"""Export: static per-station daily manifests, M3U8 playlists and audio files, published atomically."""
