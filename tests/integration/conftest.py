"""Shared fixtures for the integration tests: a real kumod on a free loopback port.

Each test module gets its own kumod (module scope) on a fresh temporary data directory;
tests that kill or restart the server use the function-scoped `fresh_kumo` fixture.

Environment:
  KUMO_BIN        path to kumod (ctest sets it; default: <repo>/build/kumod)
  KUMO_AWS_BIN    aws CLI to use (default /usr/bin/aws: Debian's awscli)
  KUMO_S3CMD_BIN  s3cmd to use (default /usr/bin/s3cmd)
  KUMO_KEEP_DATA  set to keep the temporary data directories and logs
  KUMO_ALLOW_SKIP set to let a run with skipped tests pass (by default a skip fails the run)
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent

ACCESS_KEY = "KUMOTESTACCESSKEY001"
SECRET_KEY = "kumo/test+Secret0123456789abcdefghijKLMN"
REGION = "us-east-1"
HEALTH_TIMEOUT_S = 20.0

# The tests talk to 127.0.0.1 only: never through a proxy, never with the machine's own
# AWS configuration.
for _var in list(os.environ):
    if _var.upper() in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY") or _var.startswith("AWS_"):
        del os.environ[_var]
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"


def kumo_bin():
    path = os.environ.get("KUMO_BIN") or str(REPO / "build" / "kumod")
    if not os.access(path, os.X_OK):
        pytest.fail(f"kumod binary not found or not executable: {path} (set KUMO_BIN)")
    return path


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path, limit=8000):
    try:
        data = Path(path).read_bytes()
    except OSError:
        return "<no log>"
    return data[-limit:].decode("utf-8", "replace")


class KumoServer:
    """One kumod process on a data directory that outlives restarts."""

    def __init__(self, workdir, extra_env=None, extra_args=()):
        self.workdir = Path(workdir)
        self.data_dir = self.workdir / "data"
        self.log_path = self.workdir / "kumod.log"
        self.extra_env = dict(extra_env or {})
        self.extra_args = list(extra_args)
        self.proc = None
        self.port = None
        self.access_key = ACCESS_KEY
        self.secret_key = SECRET_KEY
        self.starts = 0

    # ---- lifecycle -------------------------------------------------------------------
    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def host(self):
        return f"127.0.0.1:{self.port}"

    def _env(self):
        env = dict(os.environ)
        env["KUMO_ROOT_ACCESS_KEY"] = self.access_key
        env["KUMO_ROOT_SECRET_KEY"] = self.secret_key
        env.update(self.extra_env)
        return env

    def start(self, port=None):
        """Starts kumod and waits until /_kumo/health answers 200.

        With port=None a free port is picked (and another one if kumod cannot bind it,
        which can happen when tests run in parallel). With a port, that port is tried
        first and a new one is picked only if kumod exits before becoming healthy.
        """
        assert self.proc is None, "kumod already running"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        attempts = 4
        for attempt in range(attempts):
            self.port = port if (port is not None and attempt == 0) else free_port()
            self.starts += 1
            with open(self.log_path, "ab") as log:
                log.write(f"\n===== start #{self.starts} on port {self.port} =====\n".encode())
                log.flush()
                self.proc = subprocess.Popen(
                    [kumo_bin(), "--data-dir", str(self.data_dir),
                     "--listen", f"127.0.0.1:{self.port}", *self.extra_args],
                    env=self._env(), stdout=log, stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL, start_new_session=True)
            if self._wait_healthy():
                return self
            exited = self.proc.poll() is not None
            if not exited:
                self.kill9()
                pytest.fail(f"kumod did not answer 200 on /_kumo/health within "
                            f"{HEALTH_TIMEOUT_S:.0f} s; log:\n{_tail(self.log_path)}")
            self.proc = None
            if attempt == attempts - 1:
                break
        pytest.fail(f"kumod exited before becoming healthy; log:\n{_tail(self.log_path)}")

    def _wait_healthy(self):
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        url = f"{self.endpoint}/_kumo/health"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        return True
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.05)
        return False

    def healthy(self):
        try:
            with urllib.request.urlopen(f"{self.endpoint}/_kumo/health", timeout=5) as r:
                return r.status == 200
        except (urllib.error.URLError, ConnectionError, OSError):
            return False

    def stop(self, timeout=20.0):
        """SIGTERM, then SIGKILL if kumod does not exit. Returns the exit status."""
        if self.proc is None:
            return None
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return proc.returncode

    def kill9(self):
        """kill -9: no chance to flush anything."""
        if self.proc is None:
            return None
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        return proc.returncode

    def restart(self, hard=False):
        """Stops (SIGTERM, or kill -9 with hard=True) and starts again on the same data
        directory, on the same port when it is free again."""
        port = self.port
        if hard:
            self.kill9()
        else:
            self.stop()
        return self.start(port=port)

    def crashed(self):
        return self.proc is not None and self.proc.poll() is not None

    def log(self):
        return _tail(self.log_path)

    # ---- clients ---------------------------------------------------------------------
    def client(self, access_key=None, secret_key=None, **config_kwargs):
        cfg = dict(signature_version="s3v4", s3={"addressing_style": "path"},
                   retries={"total_max_attempts": 1, "mode": "standard"},
                   connect_timeout=10, read_timeout=60, max_pool_connections=32)
        cfg.update(config_kwargs)
        return boto3.session.Session().client(
            "s3", endpoint_url=self.endpoint, region_name=REGION,
            aws_access_key_id=access_key or self.access_key,
            aws_secret_access_key=secret_key or self.secret_key,
            config=Config(**cfg))


def _new_server(request, tmp_root, **kwargs):
    server = KumoServer(tmp_root, **kwargs)
    server.start()

    def finish():
        crashed = server.crashed()
        server.stop()
        keep = os.environ.get("KUMO_KEEP_DATA")
        if crashed:
            # Surface a crash even when every test of the module passed.
            raise AssertionError(f"kumod died during the tests; log:\n{server.log()}")
        if keep:
            print(f"\nkumod data and log kept in {tmp_root}")
        else:
            shutil.rmtree(tmp_root, ignore_errors=True)

    request.addfinalizer(finish)
    return server


def _tmp_root(prefix):
    return tempfile.mkdtemp(prefix=prefix)


@pytest.fixture(scope="module")
def kumo(request):
    """kumod shared by the tests of one module."""
    return _new_server(request, _tmp_root("kumo-it-"))


@pytest.fixture
def fresh_kumo(request):
    """kumod of its own for one test (durability tests kill and restart it)."""
    return _new_server(request, _tmp_root("kumo-it-fresh-"))


@pytest.fixture(scope="module")
def endpoint(kumo):
    return kumo.endpoint


@pytest.fixture(scope="module")
def s3(kumo):
    """boto3 S3 client: us-east-1, path-style, SigV4, no retries."""
    return kumo.client()


def unique_bucket(prefix="b"):
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


@pytest.fixture
def bucket(s3):
    name = unique_bucket()
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture
def bucket_factory(s3):
    def make(prefix="b"):
        name = unique_bucket(prefix)
        s3.create_bucket(Bucket=name)
        return name
    return make


# ---- aws CLI -------------------------------------------------------------------------
class AwsCli:
    """Runs Debian's /usr/bin/aws against kumod with path-style addressing."""

    def __init__(self, server, workdir):
        self.server = server
        self.bin = os.environ.get("KUMO_AWS_BIN", "/usr/bin/aws")
        workdir = Path(workdir)
        workdir.mkdir(parents=True, exist_ok=True)
        self.config_file = workdir / "aws-config"
        self.credentials_file = workdir / "aws-credentials"
        # Profile "singlepart" raises the multipart threshold so that `aws s3 cp` of a
        # large file is one streamed PutObject.
        self.config_file.write_text(
            "[default]\n"
            f"region = {REGION}\n"
            "s3 =\n"
            "    addressing_style = path\n"
            "\n"
            "[profile singlepart]\n"
            f"region = {REGION}\n"
            "s3 =\n"
            "    addressing_style = path\n"
            "    multipart_threshold = 64MB\n")
        creds = f"aws_access_key_id = {server.access_key}\naws_secret_access_key = {server.secret_key}\n"
        self.credentials_file.write_text(f"[default]\n{creds}\n[singlepart]\n{creds}")

    def env(self):
        env = dict(os.environ)
        env.update({
            "AWS_ACCESS_KEY_ID": self.server.access_key,
            "AWS_SECRET_ACCESS_KEY": self.server.secret_key,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_CONFIG_FILE": str(self.config_file),
            "AWS_SHARED_CREDENTIALS_FILE": str(self.credentials_file),
            "AWS_PAGER": "",
            "AWS_MAX_ATTEMPTS": "1",
            "AWS_RETRY_MODE": "standard",
            "AWS_EC2_METADATA_DISABLED": "true",
        })
        return env

    def __call__(self, *args, check=True, profile=None, timeout=300, cwd=None):
        cmd = [self.bin, "--endpoint-url", self.server.endpoint]
        if profile:
            cmd += ["--profile", profile]
        env = self.env()
        if profile:
            # An explicit profile takes its credentials from the credentials file.
            env.pop("AWS_ACCESS_KEY_ID")
            env.pop("AWS_SECRET_ACCESS_KEY")
        cmd += [str(a) for a in args]
        res = subprocess.run(cmd, env=env, capture_output=True, text=True,
                             timeout=timeout, cwd=cwd)
        if check and res.returncode != 0:
            raise AssertionError(
                f"aws {' '.join(map(str, args))} failed ({res.returncode})\n"
                f"stdout:\n{res.stdout}\nstderr:\n{res.stderr}")
        return res

    def json(self, *args, **kwargs):
        res = self(*args, "--output", "json", **kwargs)
        return json.loads(res.stdout) if res.stdout.strip() else {}


@pytest.fixture(scope="module")
def aws(kumo, tmp_path_factory):
    return AwsCli(kumo, tmp_path_factory.mktemp("awscli"))


# ---- s3cmd ---------------------------------------------------------------------------
class S3Cmd:
    """Runs Debian's /usr/bin/s3cmd against kumod (path style, SigV4, plain HTTP)."""

    def __init__(self, server, workdir):
        self.server = server
        self.bin = os.environ.get("KUMO_S3CMD_BIN", "/usr/bin/s3cmd")
        workdir = Path(workdir)
        workdir.mkdir(parents=True, exist_ok=True)
        self.config_file = workdir / "s3cfg"
        self.config_file.write_text(
            "[default]\n"
            f"access_key = {server.access_key}\n"
            f"secret_key = {server.secret_key}\n"
            f"host_base = {server.host}\n"
            f"host_bucket = {server.host}\n"
            f"bucket_location = {REGION}\n"
            "use_https = False\n"
            "signature_v2 = False\n"
            "check_ssl_certificate = False\n"
            "proxy_host =\n"
            "progress_meter = False\n")

    def __call__(self, *args, check=True, timeout=300):
        cmd = [self.bin, "-c", str(self.config_file), "--no-progress", *[str(a) for a in args]]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                             env=dict(os.environ, HOME=str(self.config_file.parent)))
        if check and res.returncode != 0:
            raise AssertionError(
                f"s3cmd {' '.join(map(str, args))} failed ({res.returncode})\n"
                f"stdout:\n{res.stdout}\nstderr:\n{res.stderr}")
        return res


@pytest.fixture(scope="module")
def s3cmd(kumo, tmp_path_factory):
    return S3Cmd(kumo, tmp_path_factory.mktemp("s3cmd"))


# ---- a skipped check is not a passed check -------------------------------------------
def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or os.environ.get("KUMO_ALLOW_SKIP"):
        return
    skipped = len(reporter.stats.get("skipped", []))
    if skipped and session.exitstatus == 0:
        reporter.write_line(
            f"{skipped} test(s) skipped: failing the run (set KUMO_ALLOW_SKIP=1 to allow)",
            red=True)
        session.exitstatus = 1
