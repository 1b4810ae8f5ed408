"""The permission matrix: every URL the project serves, requested by every kind of person, answers
as ``permission_matrix.TABLE`` declares.

- ``test_every_url_has_a_row``: the URL resolver and the table agree (no pattern without a row,
  no row without a pattern, every URL argument has a filler). Needs no database.
- ``test_get_matrix``: one GET per URL and actor, in the small world of ``matrix_world``; pages
  with the actor's session, the API with the actor's token.
- ``test_denied_posts_change_nothing``: an empty POST to each action by anonymous visitors and
  outsiders is refused and writes no row (``test_a_post_that_writes_is_noticed`` shows that the
  check sees writes).

Every mismatch is listed, with the row as observed, so a failure says what to change.
"""

import copy

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from . import matrix_world
from .permission_matrix import ACTION, ACTORS, EXCLUDED, NOT_FOUND, POST_ACTORS, TABLE, format_statuses, row


def url_patterns():
    """``{name: (route, argument names)}`` for every named pattern the resolver knows, minus
    the declared exclusions. Unnamed patterns and names used twice are reported as problems."""
    found, problems = {}, []

    def walk(patterns, prefix, namespace, group_names):
        for entry in patterns:
            names = group_names | set(entry.pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner, names)
                continue
            assert isinstance(entry, URLPattern)
            route = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            if namespace in EXCLUDED and name not in TABLE:
                continue
            if not entry.name:
                problems.append(f"{route}: the pattern has no name; name it and add a row for it")
                continue
            if "format" in names:
                # A format-suffix variant (…\.(?P<format>[a-z0-9]+)) runs the same view with the
                # same checks as the row without the suffix.
                continue
            if name in found:
                problems.append(f"{route}: the name {name!r} is also used by {found[name][0]}")
                continue
            found[name] = (route, names)

    walk(get_resolver().url_patterns, "/", "", set())
    return found, problems


def table_problems() -> list[str]:
    found, problems = url_patterns()
    for name, (route, args) in sorted(found.items()):
        row = TABLE.get(name)
        if row is None:
            fillers = "".join(f', {arg}="<world attribute>"' for arg in sorted(args))
            problems.append(
                f"{route} ({name}) has no row in lianqi/core/tests/permission_matrix.py: add "
                f'`"{name}": row("<status per actor>"{fillers})` '
                "(docs/development/permissions.md, “The permission matrix”)"
            )
            continue
        missing = set(args) - set(row.kwargs)
        if missing:
            problems.append(
                f"{route} ({name}): no filler for {', '.join(sorted(missing))}; name the object of "
                "matrix_world that fills it in the row"
            )
        extra = set(row.kwargs) - set(args)
        if extra:
            problems.append(f"{route} ({name}): the row fills {', '.join(sorted(extra))}, which the URL does not take")
    for name in sorted(set(TABLE) - set(found)):
        problems.append(f"{name}: a row for a URL that does not exist any more; remove it")
    return problems


def test_every_url_has_a_row():
    problems = table_problems()
    if problems:
        pytest.fail("The permission matrix and the URLs disagree:\n" + "\n".join(problems), pytrace=False)


def test_a_url_without_a_row_or_a_filler_is_named(monkeypatch):
    monkeypatch.delitem(TABLE, "hazards:detail")
    monkeypatch.setitem(TABLE, "hazards:plan", row(ACTION, post=NOT_FOUND))
    monkeypatch.setitem(TABLE, "hazards:gone", row(ACTION))
    problems = table_problems()
    assert problems[0].startswith("/hazards/<int:pk>/ (hazards:detail) has no row")
    assert 'row("<status per actor>", pk="<world attribute>")' in problems[0]
    assert (
        problems[1]
        == "/hazards/<int:pk>/plan/ (hazards:plan): no filler for pk; name the object of matrix_world that fills it in the row"
    )
    assert problems[2].startswith("hazards:gone: a row for a URL that does not exist")
    assert len(problems) == 3


# --- The world and the people ---------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for the module, built once and rolled back at the end."""
    from django.test.utils import override_settings

    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("matrix-media")))
    media.enable()
    original_on_commit = transaction.on_commit
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            # Notifications and other after-commit work happen at once, as in a committed request.
            transaction.on_commit = lambda func, using=None, robust=False: func()
            try:
                built = matrix_world.build_world()
            finally:
                transaction.on_commit = original_on_commit
            yield built
            transaction.set_rollback(True)
    finally:
        media.disable()


@pytest.fixture
def people(world):
    """A client per actor: pages with the actor's session, the API with their token. Made per
    test, after the cache is cleared (the visit drafts live in the cache)."""
    from lianqi.accounts.models import ApiToken

    matrix_world.visit_drafts(world)
    clients = {}
    for actor in ACTORS:
        page, api = Client(raise_request_exception=False), Client(raise_request_exception=False)
        user = getattr(world, actor, None) if actor != "anon" else None
        if user is not None:
            page.force_login(user)
            api.defaults["HTTP_AUTHORIZATION"] = f"Token {ApiToken.issue(user)}"
        clients[actor] = (page, api)
    return clients


def fill(world, row) -> dict:
    values = {}
    for arg, attribute in row.kwargs.items():
        value = getattr(world, attribute)
        values[arg] = getattr(value, "pk", value)
    return values


class RowsWritten:
    """Counts the rows that the statements run through Django's connection insert, update or
    delete (a session's own row aside: signing out deletes it, which is no change to the world)."""

    def __init__(self):
        self.rows = 0

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        verb = sql.lstrip().split(None, 1)[0].upper()
        if verb in {"INSERT", "UPDATE", "DELETE"} and "django_session" not in sql:
            self.rows += max(context["cursor"].rowcount, 0)
        return result


def request(client, method, url):
    """One request in a savepoint rolled back afterwards, so that no request changes the world
    the next one sees. Returns (status, rows written)."""
    cookies = client.cookies
    client.cookies = copy.deepcopy(cookies)  # a logout, say, must not sign the actor out for good
    written = RowsWritten()
    with transaction.atomic(), connection.execute_wrapper(written):
        response = getattr(client, method)(url)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response.status_code, written.rows


def is_api(name: str) -> bool:
    return name.startswith("api:")


@pytest.mark.django_db
def test_get_matrix(world, people):
    found, _problems = url_patterns()
    mismatches = []
    for name in sorted(found):
        row = TABLE.get(name)
        if row is None or set(found[name][1]) - set(row.kwargs):
            continue  # reported by test_every_url_has_a_row
        url = reverse(name, kwargs=fill(world, row))
        got = []
        for actor in ACTORS:
            page, api = people[actor]
            status, _written = request(api if is_api(name) else page, "get", url)
            got.append(status)
        if tuple(got) != row.get:
            wrong = [f"{a}: expected {e}, got {g}" for a, e, g in zip(ACTORS, row.get, got, strict=True) if e != g]
            mismatches.append(f"GET {url} ({name}) — {'; '.join(wrong)}\n    observed: {format_statuses(got)}")
    if mismatches:
        pytest.fail(
            f"{len(mismatches)} URLs answer other than the table says:\n" + "\n".join(mismatches), pytrace=False
        )


@pytest.mark.django_db
def test_denied_posts_change_nothing(world, people):
    found, _problems = url_patterns()
    mismatches = []
    for name in sorted(found):
        row = TABLE.get(name)
        if row is None or row.post is None or set(found[name][1]) - set(row.kwargs):
            continue
        url = reverse(name, kwargs=fill(world, row))
        got, changed = [], []
        for actor in POST_ACTORS:
            page, api = people[actor]
            status, written = request(api if is_api(name) else page, "post", url)
            got.append(status)
            if written:
                changed.append(f"{actor} wrote {written} rows")
        if tuple(got) != row.post or changed:
            wrong = [
                f"{a}: expected {e}, got {g}" for a, e, g in zip(POST_ACTORS, row.post, got, strict=True) if e != g
            ]
            mismatches.append(
                f"POST {url} ({name}) — {'; '.join(wrong + changed)}\n    observed: {format_statuses(got)}"
            )
    if mismatches:
        pytest.fail(
            f"{len(mismatches)} actions answer other than the table says:\n" + "\n".join(mismatches), pytrace=False
        )


def test_every_action_that_refuses_get_has_post_expectations():
    """A POST-only URL (405 to GET) must say what outsiders get when they POST to it."""
    missing = [name for name, row in TABLE.items() if 405 in row.get and row.post is None]
    assert not missing, 'Add post="…" (ano out sib oth) to: ' + ", ".join(sorted(missing))


@pytest.mark.django_db
def test_a_post_that_writes_is_noticed(world, people):
    """The no-write check can fail: marking one's inbox read writes, and is seen to."""
    page, _api = people["inspector"]
    status, written = request(page, "post", reverse("notifications:mark_all_read"))
    assert status == 302 and written > 0
    world.notification.refresh_from_db()  # and the savepoint undid it
    assert world.notification.recipient == world.inspector and world.notification.read_at is None
