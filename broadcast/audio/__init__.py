"""Audio: the one place that runs ffmpeg, loudness normalisation, bulletin assembly and templates."""
