#!/usr/bin/env python3
"""Checks that every alert's runbook_url in deploy/prometheus/ (rule files
and their promtool tests) is docs/runbooks.md's documented base URL plus the
anchor of a section that exists in docs/runbooks.md (GitHub heading anchors),
and that every alert rule has one."""
import glob
import re
import sys

root = sys.argv[1]
BASE = "https://github.com/barrage-load/barrage/blob/main/docs/runbooks.md"
doc = open(f"{root}/docs/runbooks.md").read()
assert BASE in doc, "docs/runbooks.md does not document its base URL"

def anchor(heading):
    a = heading.strip().lower()
    a = re.sub(r"[^\w\- ]", "", a)
    return a.replace(" ", "-")

anchors = {anchor(m) for m in re.findall(r"^#{1,6} (.+)$", doc, re.M)}
files = sorted(glob.glob(f"{root}/deploy/prometheus/**/*.yml", recursive=True))
urls = []
for path in files:
    text = open(path).read()
    for url in re.findall(r"runbook_url:\s*\"?([^\"\s]+)\"?", text):
        urls.append((path, url))
    if path.endswith("-rules.yml") or path.endswith("rules.example.yml"):
        alerts = re.findall(r"^\s*- alert:", text, re.M)
        links = re.findall(r"runbook_url:", text)
        assert len(alerts) == len(links), f"{path}: {len(alerts)} alerts, {len(links)} runbook_urls"
assert urls, "no runbook_url found"
bad = []
for path, url in urls:
    base, _, frag = url.partition("#")
    if base != BASE or frag not in anchors:
        bad.append(f"{path}: {url}")
assert not bad, "runbook_url without a section in docs/runbooks.md:\n  " + "\n  ".join(bad)
print(f"{len(urls)} runbook_urls, all in docs/runbooks.md")
