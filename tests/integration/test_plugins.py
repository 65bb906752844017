"""Function plugins end to end (include/kumo/plugin.h, ARCHITECTURE §4).

Checks:
  * examples/plugin-hello builds out of tree against the *installed* SDK
    (`cmake --install` of this build, then find_package(kumo) + kumo_add_plugin), loads
    into kumod from a [functions.hello] table, and runs: bound by a [[bindings]] entry of
    the config file, an `aws s3 cp` upload gets its greeting object, its tag and its
    metadata; `kumo events trace` shows the writes it caused;
  * the same function bound with `aws s3api put-bucket-notification-configuration`
    (LambdaFunctionConfigurations, any region/account in the ARN); an ARN naming no
    function is refused with InvalidArgument;
  * a function writing into its own trigger prefix stops at the chain depth limit (8):
    exactly depth 0..9 exist, the depth-9 event is "dropped" and the loop is logged;
  * a function that throws is retried then dead-lettered with the exception's message;
    a permanent failure is dead-lettered after one attempt with its reason;
  * concurrency = 4 runs four deliveries at once;
  * a call that takes long holds only its own lane: the other lane's key is delivered
    meanwhile, kumo_events_running_delivery_seconds shows it, and past
    [events] slow_delivery_warn_seconds it is logged as a warning;
  * with timeout_seconds, a call past it fails as retryable ("timed out"), is retried,
    then dead-lettered, and the events behind it in its lane go on;
  * kumod refuses to start, naming the plugin, for a wrong API version, a missing entry
    point, a failing create(), and a binding naming no function.
Waits are bounded polls on behaviour, never timing assertions.
"""

import json
import os
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from conftest import ACCESS_KEY, REPO, AwsCli, _new_server, _tmp_root, kumo_bin, unique_bucket
from kumo_cli import cli_json, wait_for

CONFIG_BUCKET = "hello-config-bound"


def build_dir():
    path = os.environ.get("KUMO_BUILD_DIR") or str(REPO / "build")
    if not os.path.isfile(os.path.join(path, "CMakeCache.txt")):
        pytest.fail(f"no CMake build directory at {path} (set KUMO_BUILD_DIR)")
    return Path(path)


def plugins_dir():
    return build_dir() / "tests" / "plugins"


def body_of(s3, bucket, key):
    try:
        return s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as e:
        if e.response["Error"]["Code"] == "NoSuchKey":
            return None
        raise


def outcome(server, bucket, key, handler):
    events = cli_json(server, "events", "ls", "--bucket", bucket, "--key", key)["events"]
    for e in events:
        for o in e["outcomes"]:
            if o["handler"] == handler:
                return e, o
    return None


@pytest.fixture(scope="module")
def hello_plugin(tmp_path_factory):
    """examples/plugin-hello built like a user would: against an installed SDK."""
    root = tmp_path_factory.mktemp("plugin-sdk")
    prefix = root / "prefix"
    subprocess.run(["cmake", "--install", str(build_dir()), "--prefix", str(prefix)],
                   check=True, capture_output=True, text=True, timeout=300)
    assert (prefix / "include" / "kumo" / "plugin.h").is_file()
    assert list(prefix.glob("lib*/cmake/kumo/kumoConfig.cmake")), "no CMake package installed"
    # Copied out of the repository: the example must not reach back into it.
    src = root / "plugin-hello"
    shutil.copytree(REPO / "examples" / "plugin-hello", src)
    build = root / "build"
    for cmd in (["cmake", "-S", str(src), "-B", str(build), "-G", "Ninja",
                 f"-DCMAKE_PREFIX_PATH={prefix}"],
                ["cmake", "--build", str(build)]):
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        assert res.returncode == 0, f"{' '.join(cmd)} failed:\n{res.stdout}\n{res.stderr}"
    plugin = build / "hello.so"
    assert plugin.is_file()
    return plugin


@pytest.fixture(scope="module")
def server(request, hello_plugin, tmp_path_factory):
    plugins = plugins_dir()
    config = tmp_path_factory.mktemp("plugin-config") / "kumo.toml"
    config.write_text(f"""
[events]
max_attempts = 2
initial_backoff_ms = 10
max_backoff_ms = 20
slow_delivery_warn_seconds = 1

[functions.hello]
plugin = "{hello_plugin}"
[functions.hello.config]
greeting = "Howdy"
output_prefix = "greetings/"

[functions.loop]
plugin = "{plugins / 'test_function.so'}"
config = {{ mode = "loop" }}

[functions.thrower]
plugin = "{plugins / 'test_function.so'}"
config = {{ mode = "throw" }}

[functions.refuser]
plugin = "{plugins / 'test_function.so'}"
config = {{ mode = "permanent" }}

[functions.wide]
plugin = "{plugins / 'test_function.so'}"
concurrency = 4
config = {{ mode = "barrier", expect = 4 }}

[functions.sleeper]
plugin = "{plugins / 'test_function.so'}"
concurrency = 2
config = {{ mode = "sleep", seconds = 5 }}

[functions.limited]
plugin = "{plugins / 'test_function.so'}"
timeout_seconds = 1
config = {{ mode = "sleep", seconds = 8 }}

[functions.probe]
plugin = "{plugins / 'test_function.so'}"
run_as = "{ACCESS_KEY}"
config = {{ mode = "probe" }}

[functions.probebuiltin]
plugin = "{plugins / 'test_function.so'}"
config = {{ mode = "probe" }}

[functions.hellov1]
plugin = "{plugins / 'hello_v1.so'}"
[functions.hellov1.config]
output_prefix = "v1-greetings/"

[[bindings]]
bucket = "{CONFIG_BUCKET}"
function = "hello"
events = ["s3:ObjectCreated:*"]
prefix = "in/"
""")
    return _new_server(request, _tmp_root("kumo-it-plugins-"), extra_args=["--config", str(config)])


@pytest.fixture(scope="module")
def aws(server, tmp_path_factory):
    return AwsCli(server, tmp_path_factory.mktemp("aws-plugins"))


def bind(s3, bucket, function, prefix, id_="rule"):
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "LambdaFunctionConfigurations": [{
            "Id": id_,
            "LambdaFunctionArn": f"arn:kumo:lambda:us-east-1:000000000000:function:{function}",
            "Events": ["s3:ObjectCreated:*"],
            "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": prefix}]}},
        }]})


def test_handlers_ls_lists_the_functions(server):
    arns = {h["arn"] for h in cli_json(server, "handlers", "ls")["handlers"]}
    for name in ("hello", "loop", "thrower", "refuser", "wide", "probe", "hellov1"):
        assert f"arn:kumo:lambda:::function:{name}" in arns


def test_config_bound_hello_runs_on_aws_cli_upload(server, aws, tmp_path):
    s3 = server.client()
    s3.create_bucket(Bucket=CONFIG_BUCKET)
    src = tmp_path / "a.txt"
    src.write_bytes(b"one\ntwo\nthree\n")
    aws("s3", "cp", str(src), f"s3://{CONFIG_BUCKET}/in/a.txt")

    greeting = wait_for(lambda: body_of(s3, CONFIG_BUCKET, "greetings/in/a.txt.txt"),
                        "the greeting object")
    event, o = wait_for(lambda: outcome(server, CONFIG_BUCKET, "in/a.txt", "function:hello"),
                        "the outcome of the upload's event")
    seq = event["seq"]
    assert greeting.decode() == f"Howdy, in/a.txt! 14 bytes, 3 lines (event {seq})\n"
    assert wait_for(lambda: outcome(server, CONFIG_BUCKET, "in/a.txt", "function:hello")[1]
                    ["status"] == "delivered", "delivered")

    head = s3.head_object(Bucket=CONFIG_BUCKET, Key="greetings/in/a.txt.txt")
    assert head["ContentType"] == "text/plain"
    assert head["Metadata"] == {"source-sequence": str(seq)}
    src_head = s3.head_object(Bucket=CONFIG_BUCKET, Key="in/a.txt")
    assert src_head["Metadata"]["hello-bytes"] == "14"
    tags = s3.get_object_tagging(Bucket=CONFIG_BUCKET, Key="in/a.txt")["TagSet"]
    assert tags == [{"Key": "hello", "Value": "seen"}]

    # The trace of the upload shows what the function did, each marked with its parent.
    trace = cli_json(server, "events", "trace", str(seq))
    assert trace["root"]["key"] == "in/a.txt"
    caused = {(c["name"], c["key"]) for c in trace["caused"]}
    assert ("ObjectCreated:Put", "greetings/in/a.txt.txt") in caused
    assert ("ObjectTagging:Put", "in/a.txt") in caused
    for c in trace["caused"]:
        assert c["parent"] == seq and c["depth"] == 1
    # Bindings of the config file are the server's, not the bucket's document.
    assert s3.get_bucket_notification_configuration(Bucket=CONFIG_BUCKET).get(
        "LambdaFunctionConfigurations") is None


def test_lambda_binding_with_aws_cli(server, aws, tmp_path):
    s3 = server.client()
    bucket = unique_bucket("fn")
    s3.create_bucket(Bucket=bucket)
    conf = tmp_path / "notification.json"
    conf.write_text(json.dumps({"LambdaFunctionConfigurations": [{
        "Id": "greet-uploads",
        "LambdaFunctionArn": "arn:kumo:lambda:eu-west-1:123456789012:function:hello",
        "Events": ["s3:ObjectCreated:Put"],
        "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "up/"}]}},
    }]}))
    aws("s3api", "put-bucket-notification-configuration", "--bucket", bucket,
        "--notification-configuration", f"file://{conf}")
    got = aws.json("s3api", "get-bucket-notification-configuration", "--bucket", bucket)
    assert got["LambdaFunctionConfigurations"][0]["Id"] == "greet-uploads"
    assert got["LambdaFunctionConfigurations"][0]["LambdaFunctionArn"].endswith(
        ":function:hello")

    s3.put_object(Bucket=bucket, Key="up/x.bin", Body=b"x" * 1000)
    s3.put_object(Bucket=bucket, Key="other/y.bin", Body=b"y")  # outside the prefix
    greeting = wait_for(lambda: body_of(s3, bucket, "greetings/up/x.bin.txt"), "greeting")
    assert greeting.startswith(b"Howdy, up/x.bin! 1000 bytes, 0 lines")
    assert body_of(s3, bucket, "greetings/other/y.bin.txt") is None

    conf.write_text(json.dumps({"LambdaFunctionConfigurations": [{
        "LambdaFunctionArn": "arn:kumo:lambda:::function:nosuchfunction",
        "Events": ["s3:ObjectCreated:*"]}]}))
    res = aws("s3api", "put-bucket-notification-configuration", "--bucket", bucket,
              "--notification-configuration", f"file://{conf}", check=False)
    assert res.returncode != 0 and "InvalidArgument" in res.stderr


def test_function_writing_into_its_own_trigger_stops_at_depth_limit(server):
    s3 = server.client()
    bucket = unique_bucket("loop")
    s3.create_bucket(Bucket=bucket)
    bind(s3, bucket, "loop", "loop/")
    s3.put_object(Bucket=bucket, Key="loop/k", Body=b"start")

    deepest = "loop/k" + "+" * 9
    _, o = wait_for(lambda: outcome(server, bucket, deepest, "function:loop"),
                    "the outcome of the depth-9 event")
    assert o["status"] == "dropped", o
    assert "chain depth 9" in o["error"]
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert sorted(keys) == ["loop/k" + "+" * n for n in range(10)]
    deepest_object = s3.get_object(Bucket=bucket, Key=deepest)
    assert deepest_object["Body"].read() == b"depth 9"
    assert deepest_object["Metadata"] == {"configuration-id": "rule"}  # the binding's Id
    assert "loop" in server.log() and "not dispatched" in server.log()


def dead_letter(server, handler, key):
    for d in cli_json(server, "deadletter", "ls", "--handler", handler)["deadletters"]:
        if d["key"] == key:
            return d
    return None


def test_failures_are_retried_then_dead_lettered(server):
    s3 = server.client()
    bucket = unique_bucket("fail")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "LambdaFunctionConfigurations": [
            {"Id": "t", "LambdaFunctionArn": "arn:kumo:lambda:::function:thrower",
             "Events": ["s3:ObjectCreated:*"],
             "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "t/"}]}}},
            {"Id": "r", "LambdaFunctionArn": "arn:kumo:lambda:::function:refuser",
             "Events": ["s3:ObjectCreated:*"],
             "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "r/"}]}}},
        ]})
    s3.put_object(Bucket=bucket, Key="t/obj", Body=b"1")
    s3.put_object(Bucket=bucket, Key="r/obj", Body=b"2")

    thrown = wait_for(lambda: dead_letter(server, "function:thrower", "t/obj"),
                      "the thrower's dead letter")
    assert thrown["attempts"] == 2 and "boom from the test function" in thrown["error"]
    refused = wait_for(lambda: dead_letter(server, "function:refuser", "r/obj"),
                       "the refuser's dead letter")
    assert refused["attempts"] == 1 and refused["error"] == "this object is refused"


def delivery_lane(bucket, key, lanes):
    """The dispatcher's DeliveryLane: FNV-1a-64 of bucket NUL key, modulo lanes."""
    h = 14695981039346656037
    for byte in bucket.encode() + b"\0" + key.encode():
        h = ((h ^ byte) * 1099511628211) % (1 << 64)
    return h % lanes


def keys_in_distinct_lanes(bucket, prefix, lanes):
    by_lane = {}
    i = 0
    while len(by_lane) < lanes:
        key = f"{prefix}{i}"
        by_lane.setdefault(delivery_lane(bucket, key, lanes), key)
        i += 1
    return sorted(by_lane.values())


def test_concurrency_runs_deliveries_at_once(server):
    s3 = server.client()
    bucket = unique_bucket("wide")
    s3.create_bucket(Bucket=bucket)
    bind(s3, bucket, "wide", "c/")
    keys = keys_in_distinct_lanes(bucket, "c/", 4)
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=b"z")
    # Each delivery waits until four run at once, then records the peak it saw.
    peaks = [wait_for(lambda k=k: body_of(s3, bucket, "peak/" + k), f"peak/{k}") for k in keys]
    assert peaks == [b"4"] * 4


def metric(server, series):
    """The value of one sample of /_kumo/metrics, e.g. 'kumo_events_lag{handler="x"}'."""
    with urllib.request.urlopen(f"{server.endpoint}/_kumo/metrics", timeout=10) as reply:
        text = reply.read().decode()
    prefix = series + " "
    return next(int(line[len(prefix):]) for line in text.splitlines() if line.startswith(prefix))


def running_delivery_seconds(server, handler):
    return metric(server, f'kumo_events_running_delivery_seconds{{handler="{handler}"}}')


def test_a_stuck_call_is_reported_and_holds_only_its_lane(server):
    s3 = server.client()
    bucket = unique_bucket("slow")
    s3.create_bucket(Bucket=bucket)
    bind(s3, bucket, "sleeper", "s/")
    slow, fast = "s/a.slow", None
    for i in range(100):  # a fast key in the other of the two lanes
        if delivery_lane(bucket, f"s/{i}", 2) != delivery_lane(bucket, slow, 2):
            fast = f"s/{i}"
            break
    assert running_delivery_seconds(server, "function:sleeper") == 0
    s3.put_object(Bucket=bucket, Key=slow, Body=b"slow")
    s3.put_object(Bucket=bucket, Key=fast, Body=b"fast")
    # The other lane goes on while the slow call runs.
    _, fast_outcome = wait_for(lambda: outcome(server, bucket, fast, "function:sleeper"),
                               "the fast key's outcome")
    assert fast_outcome["status"] == "delivered"
    # The slow call shows in the metrics and, past slow_delivery_warn_seconds, in the log.
    wait_for(lambda: running_delivery_seconds(server, "function:sleeper") >= 1,
             "a running delivery in the metrics")
    assert outcome(server, bucket, slow, "function:sleeper") is None
    wait_for(lambda: "function:sleeper has been delivering event" in server.log(),
             "the slow-delivery warning")
    # When the call returns, the event is delivered and nothing is running any more.
    _, slow_outcome = wait_for(lambda: outcome(server, bucket, slow, "function:sleeper"),
                               "the slow key's outcome")
    assert slow_outcome["status"] == "delivered"
    wait_for(lambda: running_delivery_seconds(server, "function:sleeper") == 0,
             "no running delivery")


def abandoned_calls(server):
    return metric(server, "kumo_function_calls_abandoned")


def test_a_call_past_its_timeout_is_retried_then_dead_lettered(server):
    s3 = server.client()
    bucket = unique_bucket("timeout")
    s3.create_bucket(Bucket=bucket)
    bind(s3, bucket, "limited", "t/")
    # One lane (concurrency 1): "t/next" waits behind the call that takes too long.
    s3.put_object(Bucket=bucket, Key="t/first.slow", Body=b"1")
    s3.put_object(Bucket=bucket, Key="t/next", Body=b"2")

    letter = wait_for(lambda: dead_letter(server, "function:limited", "t/first.slow"),
                      "the timed-out event's dead letter")
    assert letter["attempts"] == 2  # [events] max_attempts
    assert letter["error"].startswith("timed out after 1 s")
    _, after = wait_for(lambda: outcome(server, bucket, "t/next", "function:limited"),
                        "the next event's outcome")
    assert after["status"] == "delivered"
    assert s3.head_object(Bucket=bucket, Key="t/next")["ContentLength"] == 1  # still serving
    # The abandoned calls (8 s each, both started within the first 2 s) show until they
    # return.
    assert abandoned_calls(server) >= 1
    wait_for(lambda: abandoned_calls(server) == 0, "the abandoned calls to return")


def refused_start(tmp_path, toml, *expected):
    config = tmp_path / "kumo.toml"
    config.write_text(toml)
    res = subprocess.run([kumo_bin(), "--config", str(config), "--data-dir",
                          str(tmp_path / "data"), "--listen", "127.0.0.1:0"],
                         capture_output=True, text=True, timeout=60)
    out = res.stdout + res.stderr
    assert res.returncode == 2, out
    for text in expected:
        assert text in out, out


def test_version_1_plugin_keeps_loading_and_running(server):
    """examples/plugin-hello built against the frozen version 1 headers (abi_v1)."""
    s3 = server.client()
    bucket = unique_bucket("v1")
    s3.create_bucket(Bucket=bucket)
    bind(s3, bucket, "hellov1", "in/")
    s3.put_object(Bucket=bucket, Key="in/old.txt", Body=b"a\nb\n")
    greeting = wait_for(lambda: body_of(s3, bucket, "v1-greetings/in/old.txt.txt"), "greeting")
    assert greeting.startswith(b"Hello, in/old.txt! 4 bytes, 2 lines")
    assert s3.head_object(Bucket=bucket, Key="in/old.txt")["Metadata"]["hello-bytes"] == "4"
    handlers = {h["arn"]: h for h in cli_json(server, "handlers", "ls")["handlers"]}
    assert "arn:kumo:lambda:::function:hellov1" in handlers


def probe_report(s3, bucket, key):
    body = wait_for(lambda: body_of(s3, bucket, f"probe/{key}.json"), f"probe/{key}.json")
    return json.loads(body)


def test_version_2_host_calls(server):
    s3 = server.client()
    bucket = unique_bucket("v2")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="dir/0-first", Body=b"1")
    bind(s3, bucket, "probe", "dir/")
    s3.put_object(Bucket=bucket, Key="dir/a.txt", Body=b"hello v2", ContentType="text/plain",
                  Metadata={"Color": "blue"}, Tagging="k1=v1&a=b")
    r = probe_report(s3, bucket, "dir/a.txt")
    head = s3.head_object(Bucket=bucket, Key="dir/a.txt")
    assert r["size"] == 8 and r["etag"] == head["ETag"].strip('"') == r["event_etag"]
    assert r["content_type"] == "text/plain"
    assert r["metadata"] == {"color": "blue"}
    assert r["tags"] == {"k1": "v1", "a": "b"}
    assert r["get_tags"] == {"a": "b", "k1": "v1"}
    assert r["parts"] == 0 and r["checksum_algorithm"] == ""
    # One page of two keys of the object's directory, in key order, more to come.
    assert r["listed"] == ["dir/0-first", "dir/a.txt"] and r["truncated"] is False
    # A put for a version that is not the object's is refused as stale.
    assert r["catalog_stale"] is True
    assert r["removed"] is False

    # delete_object removes the object and emits ObjectRemoved:Delete as a child event.
    s3.put_object(Bucket=bucket, Key="dir/b.remove", Body=b"bye")
    r = probe_report(s3, bucket, "dir/b.remove")
    assert r["removed"] is True
    assert body_of(s3, bucket, "dir/b.remove") is None
    event, o = wait_for(lambda: outcome(server, bucket, "dir/b.remove", "function:probe"),
                        "the probe's outcome")
    trace = cli_json(server, "events", "trace", str(event["seq"]))
    caused = {(c["name"], c["key"]) for c in trace["caused"]}
    assert ("ObjectRemoved:Delete", "dir/b.remove") in caused


def test_version_2_calls_of_the_built_in_principal(server):
    """The built-in principal may read the event object's tags but not list the bucket."""
    s3 = server.client()
    bucket = unique_bucket("v2b")
    s3.create_bucket(Bucket=bucket)
    bind(s3, bucket, "probebuiltin", "in/")
    s3.put_object(Bucket=bucket, Key="in/x", Body=b"x")
    d = wait_for(lambda: dead_letter(server, "function:probebuiltin", "in/x"),
                 "the dead letter of the denied listing")
    assert d["attempts"] == 1  # access denied is permanent
    assert "s3:ListBucket" in d["error"] and "access denied" in d["error"], d
    assert body_of(s3, bucket, "probe/in/x.json") is None


def test_wrong_api_version_is_refused(tmp_path):
    plugin = plugins_dir() / "wrong_version.so"
    refused_start(tmp_path, f'[functions.old]\nplugin = "{plugin}"\n',
                  "function 'old'", str(plugin), "needs plugin API version 3",
                  "this kumod speaks version 2")


def test_missing_entry_point_is_refused(tmp_path):
    plugin = plugins_dir() / "no_entry_point.so"
    refused_start(tmp_path, f'[functions.noentry]\nplugin = "{plugin}"\n',
                  "function 'noentry'", str(plugin), "no entry point kumo_plugin_init")


def test_failing_create_is_refused(tmp_path):
    plugin = plugins_dir() / "test_function.so"
    refused_start(tmp_path,
                  f'[functions.grumpy]\nplugin = "{plugin}"\nconfig = {{ mode = "fail_create" }}\n',
                  "function 'grumpy'", "failed to start: refusing to start as configured")


def test_missing_library_and_unknown_binding_are_refused(tmp_path):
    (tmp_path / "a").mkdir()
    refused_start(tmp_path / "a", '[functions.ghost]\nplugin = "no/such/plugin.so"\n',
                  "function 'ghost'", "no/such/plugin.so")
    (tmp_path / "b").mkdir()
    refused_start(tmp_path / "b",
                  '[[bindings]]\nbucket = "x"\nfunction = "absent"\n'
                  'events = ["s3:ObjectCreated:*"]\n',
                  "names no configured handler", "arn:kumo:lambda:::function:absent")
    (tmp_path / "c").mkdir()
    refused_start(tmp_path / "c", '[functions.nameless]\nconcurrency = 2\n',
                  "functions.nameless.plugin is required", "built-in function: metadata")
