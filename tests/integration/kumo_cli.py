"""Running the `kumo` admin CLI from the integration tests.

Environment: KUMO_CLI_BIN, the CLI to run (ctest sets it; default <repo>/build/kumo).
"""

import json
import os
import subprocess
import time

import pytest

from conftest import REPO


def cli_bin():
    path = os.environ.get("KUMO_CLI_BIN") or str(REPO / "build" / "kumo")
    if not os.access(path, os.X_OK):
        pytest.fail(f"kumo CLI not found or not executable: {path} (set KUMO_CLI_BIN)")
    return path


def root_env(server):
    """The environment that points the CLI at `server` with its root credentials."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUMO_")}
    env["KUMO_ENDPOINT"] = server.endpoint
    env["KUMO_ROOT_ACCESS_KEY"] = server.access_key
    env["KUMO_ROOT_SECRET_KEY"] = server.secret_key
    return env


def run_cli(server, *args, env=None):
    """Runs `kumo ARGS...` against server; returns the CompletedProcess."""
    return subprocess.run([cli_bin(), *map(str, args)], env=env or root_env(server),
                          capture_output=True, text=True, timeout=60)


def cli_json(server, *args):
    """Runs `kumo ARGS... --json` against server, which must succeed; returns the JSON."""
    res = run_cli(server, *args, "--json")
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def wait_for(predicate, what, timeout_s=60):
    """Polls predicate every 0.1 s until it returns something true, which is returned;
    fails the test after timeout_s (a bound on behaviour, not a timing assertion)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")
