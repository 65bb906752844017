"""The `kumo` admin CLI against a real kumod: user add/list/remove, the new keys used by
boto3, and the CLI's failures (bad root secret, non-root caller, no server).

Environment: KUMO_CLI_BIN, the CLI to run (ctest sets it; default <repo>/build/kumo).
"""

import os
import re
import subprocess

import pytest
from botocore.exceptions import ClientError

from conftest import free_port, unique_bucket
from kumo_cli import cli_bin

ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


class KumoCli:
    """Runs the CLI with the root credentials and endpoint in its environment."""

    def __init__(self, server):
        self.server = server

    def env(self, **overrides):
        env = {k: v for k, v in os.environ.items() if not k.startswith("KUMO_")}
        env.update({
            "KUMO_ENDPOINT": self.server.endpoint,
            "KUMO_ROOT_ACCESS_KEY": self.server.access_key,
            "KUMO_ROOT_SECRET_KEY": self.server.secret_key,
        })
        for name, value in overrides.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        return env

    def __call__(self, *args, check=True, env=None):
        res = subprocess.run([cli_bin(), *map(str, args)], env=env or self.env(),
                             capture_output=True, text=True, timeout=60)
        if check and res.returncode != 0:
            raise AssertionError(
                f"kumo {' '.join(map(str, args))} failed ({res.returncode})\n"
                f"stdout:\n{res.stdout}\nstderr:\n{res.stderr}")
        return res


@pytest.fixture(scope="module")
def cli(kumo):
    return KumoCli(kumo)


def field(output, name):
    m = re.search(rf"^{name}: (\S+)$", output, re.MULTILINE)
    assert m, f"no '{name}:' line in:\n{output}"
    return m.group(1)


def listed_users(cli):
    """{access_key: created} from `kumo user list` (key, created, "policy" | "no policy")."""
    users = {}
    for line in cli("user", "list").stdout.splitlines():
        parts = line.split(None, 2)
        assert len(parts) == 3 and parts[2] in ("policy", "no policy"), \
            f"unexpected line in user list: {line!r}"
        users[parts[0]] = parts[1]
    return users


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def test_user_lifecycle(kumo, cli):
    res = cli("user", "add", "alice")
    assert field(res.stdout, "access_key") == "alice"
    secret = field(res.stdout, "secret_key")
    assert len(secret) >= 20

    alice = kumo.client(access_key="alice", secret_key=secret)
    bucket = unique_bucket("cli")
    alice.create_bucket(Bucket=bucket)
    alice.put_object(Bucket=bucket, Key="hello.txt", Body=b"hello from alice")
    assert alice.get_object(Bucket=bucket, Key="hello.txt")["Body"].read() == b"hello from alice"

    users = listed_users(cli)
    assert "alice" in users
    assert ISO_TIME.match(users["alice"]), users["alice"]

    res = cli("user", "remove", "alice")
    assert "alice" in res.stdout
    assert "alice" not in listed_users(cli)

    with pytest.raises(ClientError) as excinfo:
        alice.list_buckets()
    assert error_code(excinfo) == "InvalidAccessKeyId"
    # The root key still works, and still sees alice's bucket.
    kumo.client().head_bucket(Bucket=bucket)


def test_wrong_root_secret_is_rejected(cli):
    res = cli("--secret-key", "not-the-root-secret", "user", "list", check=False)
    assert res.returncode == 1, res
    assert "SignatureDoesNotMatch" in res.stderr
    assert res.stdout == ""


def test_non_root_key_is_denied(kumo, cli):
    secret = field(cli("user", "add", "bob").stdout, "secret_key")
    try:
        res = cli("user", "add", "mallory", check=False,
                  env=cli.env(KUMO_ROOT_ACCESS_KEY="bob", KUMO_ROOT_SECRET_KEY=secret))
        assert res.returncode == 1, res
        assert "AccessDenied" in res.stderr
        assert "mallory" not in listed_users(cli)
    finally:
        cli("user", "remove", "bob")


def test_remove_unknown_user_fails(cli):
    res = cli("user", "remove", "nobody-by-that-name", check=False)
    assert res.returncode == 1, res
    assert res.stderr.startswith("kumo: ")
    assert res.stdout == ""


def test_flags_and_aws_env_fallback(kumo, cli):
    # Flags alone, with no KUMO_* variables.
    bare = cli.env(KUMO_ENDPOINT=None, KUMO_ROOT_ACCESS_KEY=None, KUMO_ROOT_SECRET_KEY=None)
    res = cli("--endpoint", kumo.endpoint, "--access-key", kumo.access_key,
              "--secret-key", kumo.secret_key, "--region", "eu-west-1", "user", "list", env=bare)
    assert res.returncode == 0
    # Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
    aws_env = dict(bare, AWS_ACCESS_KEY_ID=kumo.access_key, AWS_SECRET_ACCESS_KEY=kumo.secret_key)
    cli("--endpoint", kumo.endpoint, "user", "list", env=aws_env)
    # No credentials at all: a clear message, not a request.
    res = cli("--endpoint", kumo.endpoint, "user", "list", check=False, env=bare)
    assert res.returncode == 1
    assert "credentials" in res.stderr


def test_no_server_is_a_clear_failure(cli):
    res = cli("--endpoint", f"http://127.0.0.1:{free_port()}", "user", "list", check=False)
    assert res.returncode == 1
    assert "cannot connect" in res.stderr


def test_silent_server_times_out(cli):
    """A server that accepts the connection but never answers: --timeout ends the wait."""
    import socket
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        res = cli("--endpoint", f"http://127.0.0.1:{port}", "--timeout", "1", "user", "list",
                  check=False)
    assert res.returncode == 1
    assert "no complete reply" in res.stderr and "timeout" in res.stderr.lower()
