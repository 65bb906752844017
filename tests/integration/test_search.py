"""The object catalog's queries against a real kumod: objects uploaded with boto3 and the
aws CLI, then found with `kumo search` (bucket, prefix, type, size, time, tags, user
metadata, text, sort and continuation paging, --json) and `kumo sql` (root, a plain user
refused with 403, a user with kumo:CatalogSql who sees only the buckets it may list), and
bad parameters answered with their exact error codes.

The catalog is filled by kumod's own writer (the event follower): every test waits for
`kumo catalog status` to report no lag before it queries.
"""

import json
import re
import subprocess
import time
from datetime import datetime, timedelta, timezone

import pytest

from conftest import unique_bucket
from kumo_cli import root_env, run_cli, wait_for


def add_user(server, name, *args):
    res = run_cli(server, "user", "add", name, *args)
    assert res.returncode == 0, res.stderr
    secret = re.search(r"^secret_key: (\S+)$", res.stdout, re.MULTILINE).group(1)
    return server.client(access_key=name, secret_key=secret), secret


def user_env(server, name, secret):
    env = root_env(server)
    env.update(KUMO_ROOT_ACCESS_KEY=name, KUMO_ROOT_SECRET_KEY=secret)
    return env


def caught_up(server):
    res = run_cli(server, "catalog", "status", "--json")
    assert res.returncode == 0, res.stderr
    s = json.loads(res.stdout)
    return s["lag_events"] == 0 and not s["rebuilding"]


def search(server, *args, env=None):
    res = run_cli(server, "search", *args, "--json", env=env)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def keys(server, *args, env=None):
    return [f'{r["bucket"]}/{r["key"]}' for r in search(server, *args, env=env)["results"]]


def sql(server, query, env=None):
    res = run_cli(server, "sql", "--json", query, env=env)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def refused(server, *args, env=None):
    """Runs a CLI command that must fail; returns its stderr (the server's answer)."""
    res = run_cli(server, *args, env=env)
    assert res.returncode != 0, res.stdout
    return res.stderr


@pytest.fixture(scope="module")
def data(kumo, tmp_path_factory):
    root = kumo.client()
    photos, docs = unique_bucket("photos"), unique_bucket("docs")
    root.create_bucket(Bucket=photos)
    root.create_bucket(Bucket=docs)
    before = datetime.now(timezone.utc) - timedelta(seconds=2)
    root.put_object(Bucket=photos, Key="2026/beach.jpg", Body=b"b" * 3000,
                    ContentType="image/jpeg", Metadata={"camera": "x100"},
                    Tagging="color=blue&year=2024")
    root.put_object(Bucket=photos, Key="2026/city.png", Body=b"c" * 1000,
                    ContentType="image/png", Tagging="color=red")
    root.put_object(Bucket=photos, Key="2025/old.jpg", Body=b"o" * 5000,
                    ContentType="image/jpeg")
    # One object through the aws CLI.
    src = tmp_path_factory.mktemp("search") / "report.pdf"
    src.write_bytes(b"r" * 20000)
    env = {"AWS_ACCESS_KEY_ID": kumo.access_key, "AWS_SECRET_ACCESS_KEY": kumo.secret_key,
           "AWS_DEFAULT_REGION": "us-east-1", "PATH": "/usr/bin:/bin"}
    subprocess.run(["aws", "--endpoint-url", kumo.endpoint, "s3api", "put-object",
                    "--bucket", docs, "--key", "quarterly/report.pdf", "--body", str(src),
                    "--content-type", "application/pdf", "--metadata", "author=kim"],
                   env=env, check=True, capture_output=True, timeout=60)
    alice, alice_secret = add_user(kumo, "alice-search")
    mine = unique_bucket("alice")
    alice.create_bucket(Bucket=mine)
    alice.put_object(Bucket=mine, Key="notes.txt", Body=b"hello", ContentType="text/plain",
                     Tagging="color=blue")
    wait_for(lambda: caught_up(kumo), "the catalog to catch up")
    return {"root": root, "photos": photos, "docs": docs, "mine": mine, "before": before,
            "alice_env": user_env(kumo, "alice-search", alice_secret)}


def test_search_by_bucket_prefix_and_type(kumo, data):
    p = data["photos"]
    assert keys(kumo, "--bucket", p) == [f"{p}/2025/old.jpg", f"{p}/2026/beach.jpg",
                                         f"{p}/2026/city.png"]
    assert keys(kumo, "--bucket", p, "--prefix", "2026/") == [f"{p}/2026/beach.jpg",
                                                              f"{p}/2026/city.png"]
    assert keys(kumo, "--bucket", p, "--type", "image/png") == [f"{p}/2026/city.png"]
    assert len(keys(kumo, "--type", "image/*")) == 3
    assert keys(kumo, "--type", "application/*") == [f'{data["docs"]}/quarterly/report.pdf']


def test_search_by_size_and_time(kumo, data):
    p = data["photos"]
    assert keys(kumo, "--bucket", p, "--where", "size>=3000") == [f"{p}/2025/old.jpg",
                                                                  f"{p}/2026/beach.jpg"]
    assert keys(kumo, "--bucket", p, "--where", "size<2000") == [f"{p}/2026/city.png"]
    after = data["before"].strftime("%Y-%m-%dT%H:%M:%SZ")
    assert len(keys(kumo, "--bucket", p, "--where", f"last_modified>{after}")) == 3
    future = (datetime.now(timezone.utc) + timedelta(days=1)).strftime("%Y-%m-%d")
    assert keys(kumo, "--bucket", p, "--where", f"last_modified>={future}") == []
    assert keys(kumo, "--bucket", p, "--sort=-size", "--limit", "1") == [f"{p}/2025/old.jpg"]


def test_search_by_tag_metadata_and_text(kumo, data):
    p, d = data["photos"], data["docs"]
    assert keys(kumo, "--where", "tag.color=blue") == [f"{p}/2026/beach.jpg",
                                                        f'{data["mine"]}/notes.txt']
    assert keys(kumo, "--where", "tag.color=blue", "--where", "tag.year=2024") == [
        f"{p}/2026/beach.jpg"]
    assert keys(kumo, "--where", "meta.camera=x100") == [f"{p}/2026/beach.jpg"]
    assert keys(kumo, "--where", "meta.author~k*") == [f"{d}/quarterly/report.pdf"]
    found = search(kumo, "--text", "quarterly")["results"]
    assert [r["key"] for r in found] == ["quarterly/report.pdf"]
    assert "[quarterly]" in found[0]["snippet"]
    assert keys(kumo, "--text", "kim") == [f"{d}/quarterly/report.pdf"]  # a metadata value
    assert keys(kumo, "--text", "beach", "--bucket", p) == [f"{p}/2026/beach.jpg"]
    assert keys(kumo, "--text", "nothing-like-this") == []


def test_json_shape_and_table(kumo, data):
    out = search(kumo, "--bucket", data["photos"], "--prefix", "2026/beach")
    assert set(out) == {"results", "next"} and out["next"] is None
    [r] = out["results"]
    assert set(r) == {"bucket", "key", "size", "etag", "content_type", "last_modified",
                      "attributes"}
    head = data["root"].head_object(Bucket=data["photos"], Key="2026/beach.jpg")
    assert r["etag"] == head["ETag"].strip('"')
    assert r["size"] == 3000 and r["content_type"] == "image/jpeg"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", r["last_modified"])
    table = run_cli(kumo, "search", "--bucket", data["photos"])
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split()[:5] == ["BUCKET", "KEY", "SIZE", "TYPE", "MODIFIED"]
    assert any("2026/city.png" in line and "image/png" in line for line in lines[1:])


def test_continuation_pages(kumo, data):
    bucket = unique_bucket("pages")
    root = data["root"]
    root.create_bucket(Bucket=bucket)
    for i in range(7):
        root.put_object(Bucket=bucket, Key=f"k{i:02d}", Body=b"x" * (i % 3))
    wait_for(lambda: caught_up(kumo), "the catalog to catch up")
    for sort in ("key", "-size", "last_modified"):
        whole = keys(kumo, "--bucket", bucket, f"--sort={sort}")
        assert len(whole) == 7
        paged, token = [], None
        for _ in range(10):
            args = ["--bucket", bucket, f"--sort={sort}", "--limit", "3"]
            if token:
                args += ["--continuation", token]
            out = search(kumo, *args)
            paged += [f'{r["bucket"]}/{r["key"]}' for r in out["results"]]
            token = out["next"]
            if token is None:
                break
        assert paged == whole, sort
    # A token of another sort, or an edited one, is refused.
    token = search(kumo, "--bucket", bucket, "--limit", "2")["next"]
    err = refused(kumo, "search", "--bucket", bucket, "--sort=size", "--continuation", token)
    assert "HTTP 400: InvalidArgument: continuation" in err
    edited = ("A" if token[0] != "A" else "B") + token[1:]
    err = refused(kumo, "search", "--bucket", bucket, "--continuation", edited)
    assert "HTTP 400: InvalidArgument: continuation" in err


def test_a_user_sees_only_the_buckets_it_may_list(kumo, data):
    env = data["alice_env"]
    assert keys(kumo, env=env) == [f'{data["mine"]}/notes.txt']
    assert keys(kumo, "--where", "tag.color=blue", env=env) == [f'{data["mine"]}/notes.txt']
    assert keys(kumo, "--bucket", data["photos"], env=env) == []
    assert keys(kumo, "--text", "quarterly", env=env) == []
    # Root sees every bucket.
    assert {k.split("/")[0] for k in keys(kumo)} >= {data["photos"], data["docs"], data["mine"]}


def test_sql_for_root(kumo, data):
    out = sql(kumo, "SELECT bucket, count(*) AS n, sum(size) FROM objects "
                    f"WHERE bucket IN ('{data['photos']}', '{data['docs']}') "
                    "GROUP BY bucket ORDER BY bucket")
    assert out["columns"] == ["bucket", "n", "sum(size)"]
    assert out["rows"] == sorted([[data["photos"], 3, 9000], [data["docs"], 1, 20000]])
    assert out["truncated"] is False
    out = sql(kumo, "SELECT o.key, a.value FROM objects o JOIN attributes a USING (bucket, key) "
                    f"WHERE o.bucket = '{data['photos']}' AND a.name = 'tag.color' ORDER BY 1")
    assert out["rows"] == [["2026/beach.jpg", "blue"], ["2026/city.png", "red"]]
    table = run_cli(kumo, "sql", "SELECT 1 AS one, 'x' AS two")
    assert table.returncode == 0, table.stderr
    assert table.stdout.split() == ["one", "two", "1", "x"]


def test_sql_refused_for_a_plain_user(kumo, data):
    err = refused(kumo, "sql", "SELECT count(*) FROM objects", env=data["alice_env"])
    assert "HTTP 403: AccessDenied" in err


def test_sql_with_kumo_catalog_sql_sees_only_visible_buckets(kumo, data, tmp_path):
    doc = {"Statement": [{"Effect": "Allow", "Action": "kumo:CatalogSql", "Resource": "*"},
                         {"Effect": "Allow", "Action": "s3:ListBucket",
                          "Resource": f"arn:aws:s3:::{data['docs']}"}]}
    path = tmp_path / "sql.json"
    path.write_text(json.dumps(doc))
    _, secret = add_user(kumo, "analyst", "--policy", path)
    env = user_env(kumo, "analyst", secret)
    out = sql(kumo, "SELECT DISTINCT bucket FROM objects", env=env)
    assert out["rows"] == [[data["docs"]]]
    out = sql(kumo, f"SELECT count(*) FROM attributes WHERE bucket = '{data['photos']}'", env=env)
    assert out["rows"] == [[0]]
    assert keys(kumo, env=env) == [f'{data["docs"]}/quarterly/report.pdf']


def test_bad_parameters_have_exact_codes(kumo, data):
    cases = [
        (("search", "--limit", "0"), "HTTP 400: InvalidArgument: limit:"),
        (("search", "--limit", "1001"), "HTTP 400: InvalidArgument: limit:"),
        (("search", "--where", "size=>5"), "HTTP 400: InvalidArgument: where: bad operator"),
        (("search", "--where", "=5"), "HTTP 400: InvalidArgument: where: empty name"),
        (("search", "--where", "size>big"), "HTTP 400: InvalidArgument: where: size needs"),
        (("search", "--near", "91,0,1km"), "HTTP 400: InvalidArgument: near:"),
        (("search", "--sort", "rank"), "HTTP 400: InvalidArgument: sort:"),
        (("search", "--continuation", "garbage"), "HTTP 400: InvalidArgument: continuation:"),
        (("sql", "SELEC 1"), "HTTP 400: InvalidArgument:"),
        (("sql", "SELECT 1; SELECT 2"), "HTTP 400: InvalidArgument: exactly one"),
        (("sql", "DELETE FROM objects"), "HTTP 403: AccessDenied:"),
        (("sql", "SELECT * FROM obj"), "HTTP 403: AccessDenied:"),
        (("sql", "PRAGMA table_info(obj)"), "HTTP 403: AccessDenied:"),
        (("sql", "ATTACH DATABASE '/tmp/x.db' AS x"), "HTTP 403: AccessDenied:"),
    ]
    for args, want in cases:
        err = refused(kumo, *args)
        assert want in err, (args, err)
    # The time limit stops a runaway query.
    start = time.monotonic()
    err = refused(kumo, "sql",
                  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                  "SELECT count(*) FROM n")
    assert "HTTP 400: InvalidArgument: the query ran past its time limit" in err
    assert time.monotonic() - start < 30
