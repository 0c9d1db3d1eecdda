#!/usr/bin/env python3
"""sarif.py RUBRIC SRC_DIR: `rubric check --format=sarif|json` is valid JSON with
the structure code-review tools read, and says what the text format says."""
import json, re, subprocess, sys

rubric, src = sys.argv[1], sys.argv[2]
failures = []

def check(cond, what):
    if not cond:
        failures.append(what)

def run(*args):
    return subprocess.run([rubric, *args], capture_output=True, text=True)

broken = [f"{src}/tests/e2e/check/{n}.rubric" for n in ("tiers", "names", "units", "forms", "syntax_several")]
chengwu = f"{src}/examples/chengwu/chengwu_2022.rubric"

# text: count the diagnostics, per code
text = run("check", *broken)
text_codes = re.findall(r"^\S+:\d+:\d+: (?:error|warning)\[(R\d{4})\]", text.stderr, re.M)

sarif_run = run("check", "--format=sarif", *broken)
check(sarif_run.returncode == 1, f"sarif exit status {sarif_run.returncode}, expected 1")
check(sarif_run.stderr == "", f"sarif wrote to stderr: {sarif_run.stderr[:200]}")
doc = json.loads(sarif_run.stdout)
check(doc.get("version") == "2.1.0", "version is not 2.1.0")
check("sarif-2.1.0" in doc.get("$schema", ""), "no SARIF 2.1.0 $schema")
run0 = doc["runs"][0]
driver = run0["tool"]["driver"]
check(driver["name"] == "rubric", "runs[0].tool.driver.name is not rubric")
rule_ids = [r["id"] for r in driver["rules"]]
check(len(rule_ids) == len(set(rule_ids)) and all(re.fullmatch(r"R\d{4}", i) for i in rule_ids), "bad rule ids")
check(all(r.get("shortDescription", {}).get("text") for r in driver["rules"]), "a rule without shortDescription")
results = run0["results"]
check([r["ruleId"] for r in results] == text_codes, "SARIF results differ from the text diagnostics")
for r in results:
    check(r["ruleId"] in rule_ids, f"{r['ruleId']} is not among the rules")
    check(rule_ids[r["ruleIndex"]] == r["ruleId"], f"ruleIndex of {r['ruleId']} is wrong")
    check(r["level"] in ("error", "warning", "note"), f"bad level {r['level']}")
    check(r["message"]["text"], "empty message")
    loc = r["locations"][0]["physicalLocation"]
    check(loc["artifactLocation"]["uri"].endswith(".rubric"), "artifactLocation.uri is not the scheme")
    region = loc["region"]
    for k in ("startLine", "startColumn", "endLine", "endColumn"):
        check(isinstance(region.get(k), int) and region[k] >= 1, f"region.{k} missing in {r['ruleId']}")
    check((region["endLine"], region["endColumn"]) > (region["startLine"], region["startColumn"]),
          f"empty region for {r['ruleId']}")
# a known diagnostic with an exact region: tiers.rubric:6:34, a tier list of 32 characters
gap = [r for r in results if r["ruleId"] == "R0601" and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("tiers.rubric")]
check(gap and gap[0]["locations"][0]["physicalLocation"]["region"] ==
      {"startLine": 6, "startColumn": 34, "endLine": 6, "endColumn": 66}, f"tier gap region: {gap[:1]}")
# notes become relatedLocations (the recursive form's call site)
rec = [r for r in results if r["ruleId"] == "R0702"]
check(rec and rec[0].get("relatedLocations"), "the note of R0702 is not a relatedLocation")

clean = run("check", "--format=sarif", chengwu)
check(clean.returncode == 0, "Chengwu is not clean in SARIF")
check(json.loads(clean.stdout)["runs"][0]["results"] == [], "Chengwu has SARIF results")

j = run("check", "--format=json", *broken)
jd = json.loads(j.stdout)
check([x["code"] for x in jd["diagnostics"]] == text_codes, "JSON diagnostics differ from the text ones")
check(jd["errors"] == sum(1 for x in jd["diagnostics"] if x["severity"] == "error"), "JSON error count")
check(all(x["file"] and x["line"] >= 1 for x in jd["diagnostics"] if x["code"] != "R0002"), "JSON locations")

q = run("check", "--quiet", f"{src}/tests/e2e/check/clean_warning.rubric")
check(q.returncode == 0 and q.stderr == "", f"--quiet printed {q.stderr!r}")
check(run("check", "--format=yaml", chengwu).returncode == 2, "--format=yaml is not a usage error")

for f in failures:
    print("FAIL:", f)
print(f"{len(results)} SARIF results checked; {len(failures)} failures")
sys.exit(1 if failures else 0)
