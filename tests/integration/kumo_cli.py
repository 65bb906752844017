"""Running the `kumo` admin CLI from the integration tests.

Environment: KUMO_CLI_BIN, the CLI to run (ctest sets it; default <repo>/build/kumo).
"""

import os
import subprocess

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
