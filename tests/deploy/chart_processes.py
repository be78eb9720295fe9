#!/usr/bin/env python3
"""Runs the chart's rendered containers as real processes on loopback.

Reads a `helm template` output, takes the controller and agent containers' command and args
as rendered (so a flag the binaries do not accept fails here), and starts them with:
  - Service names and 0.0.0.0 mapped to 127.0.0.1, each container port to a free loopback port;
  - $(POD_NAME) set per agent, as Kubernetes would;
  - each volume mount mapped to a local directory: Secrets rendered by the chart are
    decoded into it (so the mounted file names must match what the args expect), emptyDir
    and PVC volumes are empty directories.
Then: the probes answer on the ports they name (httpGet with a GET, grpc with `barrage health`,
plaintext as the kubelet dials), the `helm test` Pod's command passes, a short
scenario against `barrage target` runs through the CLI arguments of the test Pod (and, with
--job, through the `barrage run` Job example's), and every daemon stops on SIGTERM in 10 s.

Usage: chart_processes.py BUILD_DIR RENDERED.yaml AGENTS [--job JOB.yaml]
"""
import base64
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml

BUILD = os.path.abspath(sys.argv[1])
RENDERED = sys.argv[2]
AGENTS = int(sys.argv[3])
JOB = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--job" else None
BIN = os.path.join(BUILD, "bin")
WORK = tempfile.mkdtemp(prefix="chart-processes-")
PROCS = []


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    for name in sorted(os.listdir(WORK)):
        if name.endswith(".log"):
            with open(os.path.join(WORK, name)) as f:
                print("== %s\n%s" % (name, "".join(f.readlines()[-8:])), file=sys.stderr)
    sys.exit(1)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


docs = [d for d in yaml.safe_load_all(open(RENDERED)) if d]
def find(kind, suffix):
    for d in docs:
        if d["kind"] == kind and d["metadata"]["name"].endswith(suffix):
            return d
    fail("no %s *%s in %s" % (kind, suffix, RENDERED))

services = {d["metadata"]["name"] for d in docs if d["kind"] == "Service"}
secrets = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Secret"}
controller_pod = find("Deployment", "-controller")["spec"]["template"]["spec"]
agent_pod = find("Deployment", "-agent")["spec"]["template"]["spec"]
test_pod = next(d for d in docs if d["kind"] == "Pod" and
                d["metadata"].get("annotations", {}).get("helm.sh/hook") == "test")["spec"]

# Every port a container or Service names gets a loopback port; agents get one each.
ports = {}
def mapped(port, owner):
    return ports.setdefault((owner, int(port)), free_port())


def substitute(arg, owner, env):
    arg = re.sub(r"\$\(([A-Z_]+)\)", lambda m: env[m.group(1)], arg)
    m = re.fullmatch(r"([A-Za-z0-9.-]+):([0-9]+)", arg)
    if m and (m.group(1) == "0.0.0.0" or m.group(1) in services):
        # A listen address is the owner's own port; a Service is the controller's.
        who = owner if m.group(1) == "0.0.0.0" else "controller"
        return "127.0.0.1:%d" % mapped(m.group(2), who)
    return arg


def volume_dirs(pod, container, name):
    """Local directories for the container's mounts, longest mount path first."""
    out = []
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    for mount in container.get("volumeMounts", []):
        local = os.path.join(WORK, name, mount["name"])
        os.makedirs(local, exist_ok=True)
        vol = volumes[mount["name"]]
        src = vol.get("secret") or vol.get("configMap")
        if vol.get("secret"):
            secret = secrets.get(src["secretName"])
            if secret is None:
                fail("%s mounts Secret %s, which the chart did not render" % (name, src["secretName"]))
            data = {k: base64.b64decode(v) for k, v in secret.get("data", {}).items()}
        elif vol.get("configMap"):
            data = {}  # filled by the caller (the Job's scenario)
        else:
            data = {}
        items = src.get("items") if src else None
        for key, value in data.items():
            if items is not None and not any(i["key"] == key for i in items):
                continue
            path = next((i["path"] for i in (items or []) if i["key"] == key), key)
            with open(os.path.join(local, path), "wb") as f:
                f.write(value)
        out.append((mount["mountPath"], local))
    return sorted(out, key=lambda m: -len(m[0]))


def localize(arg, mounts):
    for mount_path, local in mounts:
        if arg == mount_path or arg.startswith(mount_path + "/"):
            return local + arg[len(mount_path):]
        if "=" in arg and arg.split("=", 1)[1].startswith(mount_path + "/"):
            k, v = arg.split("=", 1)
            return k + "=" + local + v[len(mount_path):]
    return arg


def container_argv(pod, name, owner, env):
    c = pod["containers"][0]
    mounts = volume_dirs(pod, c, name)
    argv = [localize(substitute(a, owner, env), mounts) for a in c["command"] + c.get("args", [])]
    if os.path.exists(os.path.join(BIN, argv[0])):
        argv[0] = os.path.join(BIN, argv[0])
    return c, argv, mounts


def start(name, argv, env=None):
    log = open(os.path.join(WORK, name + ".log"), "w")
    p = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                         env=dict(os.environ, **(env or {})), cwd=WORK)
    PROCS.append((name, p))
    return p


def http_ok(port, path, deadline_s=15):
    deadline = time.time() + deadline_s
    last = None
    while time.time() < deadline:
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=2) as r:
                if r.status == 200:
                    return
        except Exception as e:  # not up yet
            last = e
        time.sleep(0.1)
    fail("GET %s on port %d: %s" % (path, port, last))


def grpc_serving(port, service, deadline_s=15):
    """As the kubelet's gRPC probe: grpc.health.v1 Check, plaintext, until SERVING."""
    deadline = time.time() + deadline_s
    argv = [os.path.join(BIN, "barrage"), "health", "127.0.0.1:%d" % port, "--timeout", "1s"]
    if service:
        argv += ["--service", service]
    while time.time() < deadline:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        if r.returncode == 0:
            return
        time.sleep(0.1)
    fail("gRPC health on port %d: exit %d: %s%s" % (port, r.returncode, r.stdout, r.stderr))


def check_probes(container, owner):
    named = {p["name"]: p["containerPort"] for p in container.get("ports", [])}
    for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
        probe = container.get(kind)
        if not probe:
            continue
        get, grpc = probe.get("httpGet"), probe.get("grpc")
        if get is not None:
            port = named.get(get["port"], get["port"])
            http_ok(mapped(port, owner), get["path"])
        elif grpc is not None:
            # The kubelet takes a number here, never a port name.
            if not isinstance(grpc.get("port"), int):
                fail("%s %s: grpc.port must be a number: %s" % (owner, kind, grpc))
            grpc_serving(mapped(grpc["port"], owner), grpc.get("service", ""))
        else:
            fail("%s %s is neither httpGet nor grpc; this test knows only those" % (owner, kind))
    return True


try:
    # The controller, as rendered.
    c, argv, _ = container_argv(controller_pod, "controller", "controller", {})
    start("controller", argv)
    for p in c["ports"]:
        mapped(p["containerPort"], "controller")
    check_probes(c, "controller")
    print("ok: controller runs as rendered (%s); its probes answer" % " ".join(argv[1:]))

    # The agents, as rendered, each with its own pod name and ports.
    for i in range(1, AGENTS + 1):
        owner = "agent-%d" % i
        env = {"POD_NAME": "rel-barrage-agent-%d" % i}
        c, argv, _ = container_argv(agent_pod, owner, owner, env)
        if "--workers" not in argv:
            argv += ["--workers", "1"]  # the test's own: 2 cores shared by the whole suite
        start(owner, argv, env)
        check_probes(c, owner)
    print("ok: %d agents run as rendered (%s); their probes answer" % (AGENTS, " ".join(argv[1:])))

    # The helm test Pod's command, as rendered, with its env.
    c = test_pod["containers"][0]
    env = {e["name"]: e["value"] for e in c.get("env", [])}
    _, argv, _ = container_argv(test_pod, "helm-test", "helm-test", {})
    path_env = dict(env, PATH=BIN + os.pathsep + os.environ["PATH"])
    r = subprocess.run(argv, env=dict(os.environ, **path_env), capture_output=True, text=True,
                       timeout=int(env.get("TIMEOUT", "60")) + 30)
    if r.returncode != 0:
        fail("the helm test hook failed: %s%s" % (r.stdout, r.stderr))
    print("ok: the helm test hook passes: %s" % r.stdout.strip().splitlines()[-1])

    # A short scenario through the CLI flags the chart gives its test Pod.
    target_port = free_port()
    start("target", [os.path.join(BIN, "barrage"), "target", "--listen",
                     "127.0.0.1:%d" % target_port, "--delay", "1ms"])
    cli = argv[argv.index("--controller"):]  # the test script's "$@"
    scenario = os.path.join(WORK, "s.yaml")
    with open(scenario, "w") as f:
        f.write("name: chart-processes\ntarget: http://127.0.0.1:%d\nagents: {min: %d, wait: 10s}\n"
                "requests: [{name: a, path: /}]\nstages: [{duration: 2s, rate: 50/s}]\n"
                % (target_port, AGENTS))
    out = os.path.join(WORK, "r.json")
    r = subprocess.run([os.path.join(BIN, "barrage"), "run", scenario, "-q", "--out",
                        "json=" + out] + cli, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        fail("barrage run with the chart's CLI flags: exit %d: %s%s" % (r.returncode, r.stdout, r.stderr))
    res = json.load(open(out))
    if res["totals"]["requests"] != 100 or len(res["agents"]) != AGENTS:
        fail("unexpected result: %s" % res["totals"])
    print("ok: a scenario ran across the rendered processes: %d requests from %d agents"
          % (res["totals"]["requests"], len(res["agents"])))

    if JOB:
        job_docs = [d for d in yaml.safe_load_all(open(JOB)) if d]
        cm = next(d for d in job_docs if d["kind"] == "ConfigMap")
        pod = next(d for d in job_docs if d["kind"] == "Job")["spec"]["template"]["spec"]
        services.add(re.match(r"([^:]+):", next(a for a in pod["containers"][0]["args"]
                                                 if re.fullmatch(r"[a-z0-9.-]+:[0-9]+", a))).group(1))
        c, argv, mounts = container_argv(pod, "job", "job", {})
        vols = {v["name"]: v for v in pod["volumes"]}
        for mount_path, local in mounts:
            for m in c["volumeMounts"]:
                if m["mountPath"] == mount_path and "configMap" in vols[m["name"]]:
                    for key, text in cm["data"].items():
                        text = re.sub(r"(?m)^target: .*$", "target: http://127.0.0.1:%d" % target_port, text)
                        text = re.sub(r"agents: \{min: [0-9]+", "agents: {min: %d" % AGENTS, text)
                        text = re.sub(r"duration: 1m, rate: 50/s", "duration: 2s, rate: 50/s", text)
                        with open(os.path.join(local, key), "w") as f:
                            f.write(text)
        r = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            fail("the barrage run Job's command: exit %d: %s%s" % (r.returncode, r.stdout, r.stderr))
        print("ok: the barrage run Job example's command runs (scenario from its ConfigMap, shortened)")

    # SIGTERM: every daemon stops, each within 10 s.
    for name, p in PROCS:
        if p.poll() is not None:
            fail("%s exited early (%d)" % (name, p.returncode))
    for name, p in reversed(PROCS):
        t0 = time.time()
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            fail("%s did not stop within 10 s of SIGTERM" % name)
        print("ok: %s stopped %.2f s after SIGTERM" % (name, time.time() - t0))
    PROCS.clear()
finally:
    for _, p in PROCS:
        p.kill()
        p.wait()
    subprocess.run(["rm", "-rf", WORK])
