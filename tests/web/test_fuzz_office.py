"""A Hypothesis walk over every office route: random path parameters, query strings, forms and uploads, signed in
as the province admin, an editor of another district and a station operator. Nothing a person (or a forged form)
sends may give a 5xx, and nothing the fuzzer sent comes back as live markup.

The routes come from the app itself (`app.routes`), so a page added later is walked too. Runs are derandomized on a
fresh database, so a failure reproduces."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from tests.web.conftest import Office, sign_in

FIXTURES = Path(__file__).parents[1] / "directives" / "fixtures"
MACHINE = ("/api/", "/healthz", "/openapi.json", "/docs", "/redoc", "/static")
ROLES = ("tinh", "vanquan", "dai")  # province admin, editor of another district, station operator
MARKER = "<script>fuzz()</script>"
PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
NAME = re.compile(r'name="([^"]+)"')
# Path values a real office has, so the fuzz reaches past "not found"; accounts that sign in are left out, so the
# walk cannot lock itself out.
KNOWN = {
    "message_id": ["1", "2", "4"],
    "directive_id": ["1"],
    "ref": ["legacy:20", "legacy:183", "legacy:185", "legacy-06253"],
    "username": ["caoloc", "bientap"],
    "code": ["legacy-06253"],
    "day": ["2026-12-01"],
    "fmt": ["csv", "xlsx"],
}
NASTY = [
    "legacy:183",
    "legacy-06253",
    "2025-06187",
    "../../etc/passwd",
    "..",
    "%00",
    "\x00",
    "\u202eabc\u200f",
    "🚨📻",
    "\x1b[2J\x07\x08",
    MARKER,
    "' OR 1=1 --",
    "-1",
    "0",
    "99999999999999999999999",
    "9223372036854775808",
    "-9223372036854775809",
    "1e309",
    "NaN",
    "01/12/2026",
    "31/02/2026",
    "2026-12-01",
    "9999-99-99",
    "0000-00-00",
    "admin",
    "editor",
    "urgent",
    "on",
]
text = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)  # httpx cannot send lone surrogates
huge = st.integers(1000, 60_000).map(lambda n: "ạ" * n)
value = st.one_of(text, st.sampled_from(NASTY), st.integers(-(2**70), 2**70).map(str), huge)
# An address is at most 64 KiB to httpx, and 9 bytes per "ạ" once quoted.
in_url = st.one_of(
    text, st.sampled_from(NASTY), st.integers(-(2**70), 2**70).map(str), st.integers(500, 1500).map("ạ".__mul__)
)
segment = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(NASTY),
    text.filter(bool),
    st.integers(300, 3000).map("x".__mul__),
)


def office_routes(routes: Iterable[Any]) -> Iterator[APIRoute]:
    """Every APIRoute of the app outside the machine paths, through included routers however FastAPI keeps them."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from office_routes(inner.routes)
        elif isinstance(route, APIRoute) and not route.path.startswith(MACHINE):
            yield route


def declared(route: APIRoute, kind: str) -> set[str]:
    """The names of the route's parameters of one kind (query_params, body_params), its dependencies' included."""
    names: set[str] = set()
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        names.update(param.alias for param in getattr(dependant, kind))
        pending.extend(dependant.dependencies)
    return names


def area(path: str) -> str:
    return path.split("/")[1]


@dataclass
class Fuzzer:
    office: Office
    routes: list[APIRoute]
    clients: dict[str, TestClient] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    names: dict[str, set[str]] = field(default_factory=dict)  # per area: the field names its pages' forms use

    def send(self, role: str, method: str, url: str, **kwargs: Any) -> Any:
        client = self.clients[role]
        response = client.request(method, url, follow_redirects=False, **kwargs)
        assert response.status_code < 500, f"{method} {url!r} as {role}: {response.status_code}\n{response.text[:2000]}"
        if "text/html" in response.headers.get("content-type", ""):
            assert MARKER not in response.text, f"{method} {url!r} as {role} echoes the fuzzer's <script> unescaped"
        if currently_in_test_context():  # see them with --hypothesis-show-statistics
            event(f"{method} {response.status_code}")
        if response.status_code == 303 and response.headers["location"].startswith("/login"):
            self.tokens[role] = sign_in(client, role)  # the walk signed itself out (POST /logout): back in
        return response


@pytest.fixture
def fuzzer(office: Office) -> Fuzzer:
    app: FastAPI = office.app_client().app  # type: ignore[assignment]
    found = Fuzzer(office, sorted(office_routes(app.routes), key=lambda r: (r.path, sorted(r.methods))))
    for role in ROLES:
        found.clients[role] = office.app_client()
        found.tokens[role] = sign_in(found.clients[role], role)
    # A directive with its drafts, so ids and forms exist to fuzz.
    editor = office.app_client()
    token = sign_in(editor, "bientap")
    data = (FIXTURES / "ke_hoach.md").read_bytes()
    upload = editor.post("/directives/upload", data={"csrf": token}, files={"file": ("ke_hoach.md", data)})
    assert upload.status_code == 200, upload.text
    admin = found.clients["tinh"]
    for route in found.routes:
        if "GET" in route.methods:
            url = PARAM.sub(lambda m: KNOWN.get(m.group(1), ["1"])[0], route.path)
            page = admin.get(url, follow_redirects=False)
            found.names.setdefault(area(route.path), set()).update(NAME.findall(page.text) if page.is_success else [])
    return found


def test_the_walk_finds_every_office_route(fuzzer: Fuzzer) -> None:
    paths = {route.path for route in fuzzer.routes}
    assert {"/messages/new", "/directives/upload", "/units/{ref}", "/users/{username}", "/audit", "/status"} <= paths
    assert not any(path.startswith(MACHINE) for path in paths)
    assert {"title", "text", "targets"} <= fuzzer.names["messages"]


def path_of(route: APIRoute, draw: Any) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        known = KNOWN.get(name, [])
        # Mostly a value that exists, so the walk gets past "not found" to the page's own checks.
        chosen = draw(st.one_of(st.sampled_from(known), st.sampled_from(known), segment) if known else segment)
        return quote(chosen, safe="")

    return PARAM.sub(fill, route.path)


FUZZ = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(data=st.data())
def test_get_routes_never_give_a_server_error(fuzzer: Fuzzer, data: st.DataObject) -> None:
    routes = [r for r in fuzzer.routes if "GET" in r.methods]
    route = data.draw(st.sampled_from(routes), label="route")
    role = data.draw(st.sampled_from(ROLES), label="role")
    url = path_of(route, data.draw)
    keys = sorted(declared(route, "query_params") | fuzzer.names.get(area(route.path), set()))
    keys += ["notice", "done", "page", "next"]
    query = data.draw(st.lists(st.tuples(st.one_of(st.sampled_from(keys), text), in_url), max_size=4), label="query")
    fuzzer.send(role, "GET", url, params=query)


@FUZZ
@given(data=st.data())
def test_forms_never_give_a_server_error(fuzzer: Fuzzer, data: st.DataObject) -> None:
    routes = [r for r in fuzzer.routes if "POST" in r.methods]
    route = data.draw(st.sampled_from(routes), label="route")
    role = data.draw(st.sampled_from(ROLES), label="role")
    url = path_of(route, data.draw)
    names = sorted(declared(route, "body_params") | fuzzer.names.get(area(route.path), set()) - {"csrf"})
    fields = data.draw(
        st.dictionaries(
            st.one_of(st.sampled_from(names), text) if names else text,
            st.one_of(value, st.lists(value, min_size=2, max_size=3)),
            max_size=8,
        ),
        label="fields",
    )
    csrf = data.draw(st.sampled_from(["valid"] * 8 + ["wrong", "random", "missing"]), label="csrf")
    if csrf == "valid":
        fields["csrf"] = fuzzer.tokens[role]
    elif csrf == "wrong":
        fields["csrf"] = "x" + fuzzer.tokens[role][1:]
    elif csrf == "random":
        fields["csrf"] = data.draw(value, label="random csrf")
    fuzzer.send(role, "POST", url, data=fields)


EXTENSIONS = ["txt", "md", "docx", "pdf", "doc", "exe", "TXT", "tar.gz", "", "md.exe"]
HEADS = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", "UBND TỈNH LẠNG SƠN\n".encode()]


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    role=st.sampled_from(ROLES),
    stem=st.one_of(text, st.sampled_from(["../../etc/passwd", "a\x00b", MARKER, "\u202egnp.exe"])),
    extension=st.sampled_from(EXTENSIONS),
    head=st.sampled_from(HEADS),
    body=st.binary(max_size=4096),
    valid=st.booleans(),
)
def test_uploads_never_give_a_server_error(
    fuzzer: Fuzzer, role: str, stem: str, extension: str, head: bytes, body: bytes, valid: bool
) -> None:
    name = f"{stem}.{extension}" if extension else stem
    token = fuzzer.tokens[role] if valid else "sai"
    fuzzer.send(role, "POST", "/directives/upload", data={"csrf": token}, files={"file": (name, head + body)})


BROKEN_BODIES = [
    ("multipart/form-data; boundary=x", b"garbage"),
    ("multipart/form-data", b"--x\r\n"),
    ("multipart/form-data; boundary=x", b'--x\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n'),
    ("application/x-www-form-urlencoded", b"csrf=%FF%FE&title=\xff\xfe&&&=&%"),
    ("application/json", b'{"title": 1}'),
    ("text/plain", b"\x00" * 100),
]


def test_broken_bodies_never_give_a_server_error(fuzzer: Fuzzer) -> None:
    for role in ROLES:
        for route in (r for r in fuzzer.routes if "POST" in r.methods):
            url = PARAM.sub(lambda m: KNOWN.get(m.group(1), ["1"])[0], route.path)
            for kind, body in BROKEN_BODIES:
                answer = fuzzer.send(role, "POST", url, content=body, headers={"Content-Type": kind})
                if answer.status_code == 400:  # a page, like every office answer, not the framework's JSON
                    assert answer.headers["content-type"].startswith("text/html"), (url, kind, answer.text)
