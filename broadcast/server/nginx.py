"""An nginx front for `broadcast serve`: what `broadcast nginx-config` prints for a deployment.

nginx takes the slow and the many clients (read timeouts, body size, keep-alive and per-address limits), sends
exported audio itself from the export folder, and passes everything else to `broadcast serve`. Audio is named by
its sha256, which a client learns only from a manifest its token opened, so nginx serves it without asking for
the token, as a CDN would; manifests, playlists, emergencies, play logs and the office app stay behind serve's
checks. Answers match serve's: audio is `immutable` with ETag and Last-Modified (304 on revalidation), Range works.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from broadcast.errors import ServeError
from broadcast.messages.drafting import MAX_UPLOAD_BYTES
from broadcast.server.app import AUDIO_CACHE
from broadcast.server.run import parse_port

MULTIPART_ALLOWANCE = 64 * 1024  # the directive upload's multipart wrapping, as serve's own body limit allows
PER_ADDRESS_CONNECTIONS = 64  # a commune office behind one NAT: a few browsers and a station
LONG_POLL_SECONDS = 90  # how long nginx waits for serve's answer: an emergency long poll waits up to 60 s
_NAME = re.compile(r"[A-Za-z0-9_*.~-]+")  # a server_name entry: example.vn, *.example.vn, _
_HOST = re.compile(r"[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]")
_UNSAFE_PATH = re.compile(r'[\s"\'$;{}\\#]')  # would end or change the nginx directive


@dataclass(frozen=True)
class NginxFront:
    """What the server block needs. Timeouts in seconds; listen is 'PORT' or 'ADDRESS:PORT'."""

    server_names: tuple[str, ...]
    listen: str
    upstream: str  # HOST:PORT where `broadcast serve` listens
    export_root: Path
    header_timeout: int = 10
    body_timeout: int = 30
    keep_alive_timeout: int = 5


def front(
    server_name: str,
    listen: str,
    upstream: str,
    export_root: Path,
    *,
    header_timeout: int = 10,
    body_timeout: int = 30,
    keep_alive_timeout: int = 5,
) -> NginxFront:
    """A checked NginxFront; ServeError (field server_name, listen, upstream or export_root) naming what is wrong."""
    names = tuple(server_name.split())
    if not names or not all(_NAME.fullmatch(name) for name in names):
        raise ServeError(
            f"{{server_name}} {server_name!r} is not a host name list; give e.g. broadcast.example.vn or _",
            field="server_name",
        )
    return NginxFront(
        server_names=names,
        listen=_address(listen, "listen", "80 or 0.0.0.0:80", port_only=True),
        upstream=_address(upstream, "upstream", "127.0.0.1:8080", port_only=False),
        export_root=_export_root(export_root),
        header_timeout=header_timeout,
        body_timeout=body_timeout,
        keep_alive_timeout=keep_alive_timeout,
    )


def _address(text: str, field: str, example: str, *, port_only: bool) -> str:
    if port_only and text.isdigit():
        return str(parse_port(text))
    host, colon, port = text.rpartition(":")
    if not colon or not _HOST.fullmatch(host):
        raise ServeError(f"{{{field}}} {text!r} is not an address; give e.g. {example}", field=field)
    try:
        number = parse_port(port)
    except ServeError:
        raise ServeError(f"{{{field}}} {text!r} has no valid port; give e.g. {example}", field=field) from None
    return f"{host}:{number}"


def _export_root(path: Path) -> Path:
    if not path.is_absolute() or _UNSAFE_PATH.search(str(path)):
        raise ServeError(
            f"{{export_root}} {str(path)!r} must be an absolute path without spaces, quotes, $, ;, braces or #",
            field="export_root",
        )
    return path


def body_size_megabytes() -> int:
    """client_max_body_size in MiB: the office's directive upload, the largest body serve accepts."""
    return math.ceil((MAX_UPLOAD_BYTES + MULTIPART_ALLOWANCE) / (1024 * 1024))


def nginx_config(site: NginxFront) -> str:
    """The nginx configuration text: http-level upstream and limit zone, then one server block.

    It belongs in the http context, e.g. /etc/nginx/conf.d/broadcast.conf on Debian.
    """
    return f"""\
# nginx in front of `broadcast serve` (printed by `broadcast nginx-config`).
# Put this file in nginx's http context, e.g. /etc/nginx/conf.d/broadcast.conf; then `nginx -t && nginx -s reload`.

upstream broadcast_serve {{
    server {site.upstream};
    keepalive 32;
}}

limit_conn_zone $binary_remote_addr zone=broadcast_per_address:10m;

server {{
    listen {site.listen};
    server_name {" ".join(site.server_names)};
    server_tokens off;

    # Slow clients are nginx's to hold, not serve's.
    client_header_timeout {site.header_timeout}s;
    client_body_timeout {site.body_timeout}s;
    send_timeout 60s;
    reset_timedout_connection on;
    keepalive_timeout {max(site.keep_alive_timeout, 15)}s;
    keepalive_requests 1000;
    client_max_body_size {body_size_megabytes()}m;  # a directive upload in the office app
    client_header_buffer_size 1k;
    large_client_header_buffers 4 8k;
    limit_conn broadcast_per_address {PER_ADDRESS_CONNECTIONS};
    limit_conn_status 429;

    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_connect_timeout 5s;
    proxy_read_timeout {LONG_POLL_SECONDS}s;

    # Audio named by its sha256, sent from the export folder; what is not exported (yet) comes from serve.
    location ~ "^/api/v1/audio/(?<broadcast_sha256>[0-9a-f]{{64}})\\.mp3$" {{
        root "{site.export_root}";
        try_files /audio/$broadcast_sha256.mp3 @broadcast_serve;
        types {{ }}
        default_type audio/mpeg;
        etag on;
        add_header Cache-Control "{AUDIO_CACHE}";
        sendfile on;
        tcp_nopush on;
    }}

    # A station waits here for an emergency (long poll, or a stream): pass each byte on as serve sends it.
    location ~ "^/api/v1/stations/[^/]+/emergency$" {{
        proxy_pass http://broadcast_serve;
        proxy_buffering off;
    }}

    location @broadcast_serve {{
        proxy_pass http://broadcast_serve;
    }}

    # Manifests (answered with ETag and 304 by serve itself), playlists, emergencies, play logs, the office app.
    location / {{
        proxy_pass http://broadcast_serve;
    }}
}}
"""
