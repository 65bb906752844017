"""Functions act with a principal ([functions.<name>] run_as, include/kumo/plugin.h):
every host API call a plugin makes is decided as that principal, by the decision S3
requests get.

Checks, with a real kumod and the test plugin (tests/plugins/test_function.cc, "derive"
mode: read the created object, write derived/<key> into a target bucket):
  * the built-in principal (no run_as) writes a derived object into the event's bucket;
    the object's event names function:<name> as its principal;
  * the built-in principal writing into another bucket is refused: the event is
    dead-lettered after one attempt with "access denied: ... may not s3:PutObject on
    arn:aws:s3:::<bucket>/<key>", `kumo events trace` shows that reason, and nothing was
    written there;
  * run_as naming a user that does not exist yet: denied, "no such user"; once the user
    is added (`kumo user add`) it is found by the next event without a restart;
  * run_as a user: writing into a bucket root owns is denied; into a bucket the user
    owns (created with the user's credentials) it succeeds, the user as the principal;
  * an empty run_as is refused at start-up.
Waits are bounded polls on behaviour.
"""

import re
import subprocess

import pytest
from botocore.exceptions import ClientError

from conftest import _new_server, _tmp_root, kumo_bin, unique_bucket
from kumo_cli import cli_json, run_cli, wait_for

from test_plugins import plugins_dir

USER = "fnuser"
ROOT_OWNED_TARGET = "fp-root-owned"


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    plugin = plugins_dir() / "test_function.so"
    config = tmp_path_factory.mktemp("principal-config") / "kumo.toml"
    config.write_text(f"""
[events]
max_attempts = 2
initial_backoff_ms = 10
max_backoff_ms = 20

[functions.derive_here]
plugin = "{plugin}"
config = {{ mode = "derive" }}

[functions.derive_away]
plugin = "{plugin}"
config = {{ mode = "derive", target = "{ROOT_OWNED_TARGET}" }}

[functions.as_user]
plugin = "{plugin}"
run_as = "{USER}"
config = {{ mode = "derive", target = "@body" }}
""")
    return _new_server(request, _tmp_root("kumo-it-principal-"),
                       extra_args=["--config", str(config)])


def bind(s3, bucket, function, prefix):
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "LambdaFunctionConfigurations": [{
            "Id": function,
            "LambdaFunctionArn": f"arn:kumo:lambda:::function:{function}",
            "Events": ["s3:ObjectCreated:*"],
            "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": prefix}]}},
        }]})


def event_of(server, bucket, key):
    events = cli_json(server, "events", "ls", "--bucket", bucket, "--key", key)["events"]
    return events[0] if events else None


def settled(server, bucket, key, handler):
    """The event of (bucket, key) once handler's outcome is final, else None."""
    e = event_of(server, bucket, key)
    if e is None:
        return None
    for o in e["outcomes"]:
        if o["handler"] == handler and o["status"] in ("delivered", "dead", "dropped"):
            return e, o
    return None


def keys(s3, bucket):
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def trace_error(server, seq, handler):
    trace = cli_json(server, "events", "trace", str(seq))
    return next(o["error"] for o in trace["root"]["outcomes"] if o["handler"] == handler)


def test_the_built_in_principal_writes_only_into_the_event_bucket(server):
    s3 = server.client()
    bucket = unique_bucket("fp")
    s3.create_bucket(Bucket=bucket)
    s3.create_bucket(Bucket=ROOT_OWNED_TARGET)
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "LambdaFunctionConfigurations": [
            {"Id": name, "LambdaFunctionArn": f"arn:kumo:lambda:::function:{name}",
             "Events": ["s3:ObjectCreated:*"],
             "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": prefix}]}}}
            for name, prefix in (("derive_here", "here/"), ("derive_away", "away/"))]})

    s3.put_object(Bucket=bucket, Key="here/a", Body=b"alpha")
    s3.put_object(Bucket=bucket, Key="away/b", Body=b"beta")

    _, here = wait_for(lambda: settled(server, bucket, "here/a", "function:derive_here"),
                       "the outcome of here/a")
    assert here["status"] == "delivered", here
    assert s3.get_object(Bucket=bucket, Key="derived/here/a")["Body"].read() == b"alpha"
    derived = wait_for(lambda: event_of(server, bucket, "derived/here/a"), "the derived event")
    assert derived["principal"] == "function:derive_here"

    away, refused = wait_for(lambda: settled(server, bucket, "away/b", "function:derive_away"),
                             "the outcome of away/b")
    reason = ("access denied: function derive_away running as function:derive_away "
              "(built-in principal) may not s3:PutObject on "
              f"arn:aws:s3:::{ROOT_OWNED_TARGET}/derived/away/b")
    assert refused["status"] == "dead", refused
    assert refused["attempts"] == 1, refused  # permanent: not retried
    assert refused["error"] == reason
    assert trace_error(server, away["seq"], "function:derive_away") == reason
    trace_text = run_cli(server, "events", "trace", str(away["seq"]))
    assert trace_text.returncode == 0 and reason in trace_text.stdout, trace_text.stdout
    assert keys(s3, ROOT_OWNED_TARGET) == []


def add_user(server, name):
    res = run_cli(server, "user", "add", name)
    assert res.returncode == 0, res.stderr
    m = re.search(r"^secret_key: (\S+)$", res.stdout, re.MULTILINE)
    assert m, res.stdout
    return server.client(access_key=name, secret_key=m.group(1))


def test_run_as_a_user_has_exactly_the_users_rights(server):
    root = server.client()
    try:
        root.create_bucket(Bucket=ROOT_OWNED_TARGET)
    except ClientError as e:
        assert e.response["Error"]["Code"] in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists")

    # Before the user exists: every call is denied, and says why.
    early = unique_bucket("fp-early")
    root.create_bucket(Bucket=early)
    bind(root, early, "as_user", "in/")
    root.put_object(Bucket=early, Key="in/0", Body=early.encode())
    _, o = wait_for(lambda: settled(server, early, "in/0", "function:as_user"),
                    "the outcome of the event before the user exists")
    assert o["status"] == "dead", o
    assert o["error"] == (f"access denied: function as_user running as {USER}: no such user "
                          "(run_as names no access key of this server)")
    assert f"function as_user: run_as {USER} names no user yet" in server.log()

    user = add_user(server, USER)
    source = unique_bucket("fp-src")
    user.create_bucket(Bucket=source)  # the user's: it may read what triggers it
    bind(user, source, "as_user", "in/")

    # Into a bucket root owns: the user has no right there.
    user.put_object(Bucket=source, Key="in/1", Body=ROOT_OWNED_TARGET.encode())
    e1, o1 = wait_for(lambda: settled(server, source, "in/1", "function:as_user"),
                      "the outcome of in/1")
    reason = (f"access denied: function as_user running as {USER} may not s3:PutObject on "
              f"arn:aws:s3:::{ROOT_OWNED_TARGET}/derived/in/1")
    assert o1["status"] == "dead" and o1["error"] == reason, o1
    assert trace_error(server, e1["seq"], "function:as_user") == reason
    assert "derived/in/1" not in keys(root, ROOT_OWNED_TARGET)

    # Into a bucket the user owns: allowed, the user the principal of the write.
    mine = unique_bucket("fp-mine")
    user.create_bucket(Bucket=mine)
    user.put_object(Bucket=source, Key="in/2", Body=mine.encode())
    _, o2 = wait_for(lambda: settled(server, source, "in/2", "function:as_user"),
                     "the outcome of in/2")
    assert o2["status"] == "delivered", o2
    assert user.get_object(Bucket=mine, Key="derived/in/2")["Body"].read() == mine.encode()
    derived = wait_for(lambda: event_of(server, mine, "derived/in/2"), "the derived event")
    assert derived["principal"] == USER


def test_an_empty_run_as_is_refused(tmp_path):
    config = tmp_path / "kumo.toml"
    config.write_text(f'[functions.blank]\nplugin = "{plugins_dir() / "test_function.so"}"\n'
                      'run_as = ""\n')
    res = subprocess.run([kumo_bin(), "--config", str(config), "--data-dir",
                          str(tmp_path / "data"), "--listen", "127.0.0.1:0"],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 2, res.stdout + res.stderr
    assert "functions.blank.run_as must name an access key" in res.stdout + res.stderr
