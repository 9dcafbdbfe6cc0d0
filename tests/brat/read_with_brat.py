#!/usr/bin/env python3
"""Reads brat folders with brat's own code and prints what it found, as JSON.

newsnote writes .ann files and annotation.conf; this checks them with the reader brat itself
runs (annotation.py and projectconfig.py, shipped in the `bratiaa` package as `bratsubset`),
so a line brat would refuse, a span whose text is not the .txt at its offsets, or a
configuration brat cannot parse is caught by brat's rules, not by newsnote's idea of them.

Usage: read_with_brat.py DIR...  (each DIR holds .txt/.ann pairs and an annotation.conf)

Prints {"DIR": {"conf": {...}, "docs": {"NAME": {...}}}} on stdout and exits 0 when brat read
everything without a complaint; exits 1 with brat's complaints on stderr otherwise, and 3 when
bratiaa is not installed (`pip install --no-deps bratiaa==0.1.4`).
"""
import glob
import json
import os
import sys

try:
    from bratsubset import projectconfig
    from bratsubset import realmessage
    from bratsubset.annotation import TextAnnotations, split_role
except ImportError as e:
    print(f"brat's reader is not installed (pip install --no-deps bratiaa==0.1.4): {e}", file=sys.stderr)
    sys.exit(3)


def complaints():
    """brat's error and warning messages since the last call."""
    pending = realmessage.Messager._Messager__pending_messages
    found = [m for m, kind, _ in pending if kind in ("error", "warning")]
    realmessage.Messager._Messager__pending_messages = []
    return found


def conf_of(folder):
    def nodes(hierarchy):
        out = []
        for n in hierarchy:
            if n == projectconfig.SEPARATOR_STR:
                continue
            out.append(n)
            out.extend(nodes(n.children))
        return out

    def args(n):
        return {
            a: {"min": n.arg_min_count[a], "max": min(n.arg_max_count[a], 1000), "types": n.arguments[a]}
            for a in n.arg_list
        }

    configs, _ = projectconfig.get_annotation_configs(folder)
    return {
        "entities": [n.storage_form() for n in nodes(configs["entities"])],
        "relations": {n.storage_form(): args(n) for n in nodes(configs["relations"])},
        "events": {n.storage_form(): args(n) for n in nodes(configs["events"])},
        "attributes": {n.storage_form(): args(n) for n in nodes(configs["attributes"])},
        # tools.conf's [normalization] databases (empty without the file).
        "normalization": [n.storage_form() for n in projectconfig.get_normalization_config(folder)],
    }


def doc_of(path, conf, problems):
    base = path[: -len(".ann")]
    name = os.path.basename(base)
    a = TextAnnotations(base, read_only=True)
    for line in a.failed_lines:
        problems.append(f"{path}:{line + 1}: brat could not parse the line")
    problems.extend(f"{path}: {m}" for m in complaints())
    events = {e.id: e for e in a.get_events()}
    triggers = {e.trigger for e in events.values()}
    doc = {
        "entities": [
            {"id": t.id, "type": t.type, "spans": [list(s) for s in t.spans], "text": t.text}
            for t in a.get_textbounds()
        ],
        "events": [
            {"id": e.id, "type": e.type, "trigger": e.trigger, "args": [[split_role(r)[0], i] for r, i in e.args]}
            for e in events.values()
        ],
        "relations": [
            {"id": r.id, "type": r.type, "args": [[r.arg1l, r.arg1], [r.arg2l, r.arg2]]} for r in a.get_relations()
        ],
        "attributes": [
            {"id": x.id, "name": x.type, "target": x.target, "value": None if x.value is True else x.value}
            for x in a.get_attributes()
        ],
        "normalizations": [
            {"id": x.id, "type": x.type, "target": x.target, "db": x.refdb, "db_id": x.refid, "text": x.reftext or None}
            for x in a.get_normalizations()
        ],
        "notes": [{"id": x.id, "type": x.type, "target": x.target, "text": x.get_text()} for x in a.get_oneline_comments()],
        "equivalences": [{"type": x.type, "ids": x.entities} for x in a.get_equivs()],
    }
    # What brat's server checks against the configuration when it shows a document.
    for t in doc["entities"]:
        declared = conf["entities"] if t["id"] not in triggers else conf["events"]
        if t["type"] not in declared:
            problems.append(f"{path}: {t['id']} has type {t['type']}, which annotation.conf does not declare")
    for e in doc["events"]:
        roles = conf["events"].get(e["type"])
        if roles is None:
            problems.append(f"{path}: event type {e['type']} of {e['id']} is not declared")
            continue
        for role, spec in roles.items():
            n = sum(1 for r, _ in e["args"] if r == role)
            if not spec["min"] <= n <= spec["max"]:
                problems.append(f"{path}: {e['id']} has {n} {role} arguments; annotation.conf allows {spec['min']}-{spec['max']}")
        for role, _ in e["args"]:
            if role not in roles:
                problems.append(f"{path}: {e['id']} has a {role} argument, which annotation.conf does not declare")
    for x in doc["attributes"]:
        spec = conf["attributes"].get(x["name"])
        if spec is None:
            problems.append(f"{path}: attribute {x['name']} is not declared")
        elif x["value"] is not None and x["value"] not in spec.get("Value", {}).get("types", []):
            problems.append(f"{path}: {x['id']}: value {x['value']} is not one annotation.conf lists")
    return name, doc


def main(folders):
    out, problems = {}, []
    for folder in folders:
        folder = os.path.abspath(folder)
        if not os.path.exists(os.path.join(folder, "annotation.conf")):
            problems.append(f"{folder}: no annotation.conf")
            continue
        conf = conf_of(folder)
        problems.extend(f"{folder}/annotation.conf: {m}" for m in complaints())
        docs = dict(doc_of(p, conf, problems) for p in sorted(glob.glob(os.path.join(folder, "*.ann"))))
        out[folder] = {"conf": conf, "docs": docs}
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
