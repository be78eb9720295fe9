#!/usr/bin/env python3
"""The CI recipes (deploy/ci/): README shows each file as it is, both pass
yamllint --strict, and their shell steps map the exit codes as README says.

The steps run with a fake `barrage`, `curl` and service on PATH: the run and
`barrage compare` exit with the codes each case gives, so the job's exit
code is checked for every case: 0 passes, 99 (a regression, or a failed
threshold) fails, 98 (inconclusive) warns (GitHub: the step passes with a
::warning::; GitLab: the job exits 98, which allow_failure accepts).

Usage: ci_recipe_check.py SOURCE_DIR   (exit 77: yamllint missing)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = sys.argv[1]
FILES = ["deploy/ci/github-actions.yml", "deploy/ci/gitlab-ci.yml"]
failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message, file=sys.stderr)


def readme_block(readme, path):
    m = re.search(r"<!-- begin %s -->\n```yaml\n(.*?)```\n<!-- end %s -->" %
                  (re.escape(path), re.escape(path)), readme, re.S)
    return m.group(1) if m else None


def run_step(script, run_exit, compare_exit, env, baseline=True):
    """Runs `script` in bash -e in a temporary folder with the fakes; returns
    (exit code, output)."""
    with tempfile.TemporaryDirectory() as work:
        bin_dir = os.path.join(work, "bin")
        os.makedirs(bin_dir)
        os.makedirs(os.path.join(work, "scripts"))
        fakes = {
            "barrage": """#!/bin/sh
case "$1" in
  run) exit %d ;;
  compare) echo "compare $2 $3"; exit %d ;;
  *) exit 0 ;;
esac
""" % (run_exit, compare_exit),
            "curl": "#!/bin/sh\nwhile [ $# -gt 0 ]; do [ \"$1\" = -o ] && { echo '{}' > \"$2\"; }; shift; done\n",
        }
        for name, text in fakes.items():
            path = os.path.join(bin_dir, name)
            with open(path, "w") as f:
                f.write(text)
            os.chmod(path, 0o755)
        service = os.path.join(work, "scripts", "start-service")
        with open(service, "w") as f:
            f.write("#!/bin/sh\nexit 0\n")
        os.chmod(service, 0o755)
        if baseline:
            os.makedirs(os.path.join(work, "baseline"))
            with open(os.path.join(work, "baseline", "current.json"), "w") as f:
                f.write("{}")
        full_env = dict(os.environ, PATH=bin_dir + ":" + os.environ["PATH"], **env)
        p = subprocess.run(["bash", "-e", "-c", script], cwd=work, env=full_env,
                           capture_output=True, text=True, timeout=60)
        return p.returncode, p.stdout + p.stderr


def main():
    if shutil.which("yamllint") is None:
        print("skipped: yamllint is not installed")
        return 77
    with open(os.path.join(ROOT, "README.md")) as f:
        readme = f.read()
    docs = {}
    for path in FILES:
        with open(os.path.join(ROOT, path)) as f:
            text = f.read()
        block = readme_block(readme, path)
        if block is None:
            fail("README has no block between <!-- begin %s --> and <!-- end %s -->" % (path, path))
        elif block != text:
            fail("README's copy of %s differs from the file" % path)
        docs[path] = yaml.safe_load(text)
    lint = subprocess.run(["yamllint", "--strict", "-c",
                           os.path.join(ROOT, "tests/deploy/ci_yamllint.yaml")] +
                          [os.path.join(ROOT, p) for p in FILES], capture_output=True, text=True)
    if lint.returncode != 0:
        fail("yamllint:\n" + lint.stdout + lint.stderr)

    # GitHub Actions: the compare step, then the final step with the run's code.
    gh = docs[FILES[0]]
    steps = {s.get("name", s.get("uses")): s for s in gh["jobs"]["load-test"]["steps"]}
    compare = steps["Compare with the baseline"]["run"]
    for compare_exit, want, says in [(0, 0, None), (98, 0, "::warning::"), (99, 99, "::error::"),
                                     (2, 2, None)]:
        code, out = run_step(compare, 0, compare_exit, {})
        if code != want or (says and says not in out):
            fail("github compare step with compare exiting %d: exit %d, want %d (%s): %s" %
                 (compare_exit, code, want, says, out))
    code, out = run_step(compare, 0, 99, {}, baseline=False)
    if code != 0 or "::warning::" not in out:
        fail("github compare step without a baseline: exit %d, want 0 and a warning: %s" % (code, out))
    run = steps["Run the scenario"]["run"]
    for run_exit in (0, 99):
        with tempfile.NamedTemporaryFile("r") as env_file:
            code, out = run_step(run, run_exit, 0, {"GITHUB_ENV": env_file.name})
            if code != 0 or env_file.read().strip() != "RUN_EXIT=%d" % run_exit:
                fail("github run step with the run exiting %d: exit %d: %s" % (run_exit, code, out))
    if 'exit "$RUN_EXIT"' not in steps["Fail on the run's own exit code (99 a threshold failed)"]["run"]:
        fail("github: the last step does not exit with the run's code")
    uploads = [s for s in gh["jobs"]["load-test"]["steps"]
               if s.get("uses", "").startswith("actions/upload-artifact")]
    if not any("barrage-junit.xml" in s["with"]["path"] and "barrage-report.html" in s["with"]["path"]
               for s in uploads):
        fail("github: the JUnit and HTML reports are not uploaded")

    # GitLab CI: the run-and-compare script, on a merge request's branch and on main.
    job = docs[FILES[1]]["load-test"]
    if job.get("allow_failure", {}).get("exit_codes") != [98]:
        fail("gitlab: allow_failure.exit_codes is not [98]")
    if job["artifacts"]["reports"]["junit"] != "barrage-junit.xml":
        fail("gitlab: artifacts:reports:junit is not barrage-junit.xml")
    script = job["script"][1]
    branch = {"CI_COMMIT_BRANCH": "feature", "CI_DEFAULT_BRANCH": "main", "CI_JOB_TOKEN": "t",
              "CI_API_V4_URL": "http://127.0.0.1:9/api/v4", "CI_PROJECT_ID": "1",
              "CI_JOB_NAME": "load-test"}
    for run_exit, compare_exit, want in [(0, 0, 0), (0, 98, 98), (0, 99, 99), (99, 0, 99),
                                         (4, 0, 4)]:
        code, out = run_step(script, run_exit, compare_exit, branch)
        if code != want:
            fail("gitlab with run %d, compare %d: exit %d, want %d: %s" %
                 (run_exit, compare_exit, code, want, out))
    code, out = run_step(script, 0, 99, dict(branch, CI_COMMIT_BRANCH="main"))
    if code != 0 or "compare" in out:
        fail("gitlab on main: exit %d, want 0 without a comparison: %s" % (code, out))

    if failures:
        return 1
    print("ok: README shows both CI recipes as they are; yamllint --strict passes; "
          "exit codes 0 pass, 98 warn, 99 fail")
    return 0


if __name__ == "__main__":
    sys.exit(main())
