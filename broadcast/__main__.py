from __future__ import annotations

from broadcast.cli import main

main()
