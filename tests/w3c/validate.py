#!/usr/bin/env python3
"""Validate a newsnote W3C Web Annotation export against the W3C test suite's MUST assertions.

    python3 tests/w3c/validate.py                 # build the bundled samples' export with cargo, validate it
    python3 tests/w3c/validate.py EXPORT.jsonld   # validate a file ('-' reads stdin)
    python3 tests/w3c/validate.py --self-test     # prove the checks can fail: broken inputs must be rejected

Needs `python3 -m pip install jsonschema rfc3987 rfc3339-validator`: without rfc3987 and
rfc3339-validator, jsonschema silently skips the "uri" and "date-time" formats, so the script
refuses to run rather than pass on unchecked values.

What runs (the assertion lists are read from the suite, not copied here):
- every Annotation in the page's `items` against every assertion of
  annotations/annotationMusts.test (54). Embedded annotations carry no `@context` of their own;
  as in JSON-LD they are checked with the document's (itself checked by the collection's
  context assertion);
- the AnnotationCollection against collections/collectionMusts.test (10), and, as "an Annotation
  Collection with an embedded Page", against collections/pages/pageMusts.test (15);
- two consistency checks the schemas cannot express: `total` equals the number of items, and no
  two annotations share an id.
Each assertion schema is applied as the suite says: Draft 4 with format checking, `$ref`s
resolved by the definitions' `id` (definitions/<name>.json), and the result compared with its
`expectedResult` ("valid" for every MUST in this suite).

The suite is read from ../shared/reference/w3c-web-annotation relative to the repository root
(CI keeps shared/ beside the clone), or --reference DIR.
"""

import argparse
import copy
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SUITE = REPO.parent / "shared" / "reference" / "w3c-web-annotation"
CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MUST_LISTS = {
    "annotation": "annotations/annotationMusts.test",
    "collection": "collections/collectionMusts.test",
    "page": "collections/pages/pageMusts.test",
}

try:
    import jsonschema
    from jsonschema import Draft4Validator
except ImportError:
    sys.exit("validate.py: needs jsonschema (python3 -m pip install jsonschema rfc3987 rfc3339-validator)")


class Assertion:
    def __init__(self, path, schema, make_validator):
        self.path = path
        self.name = schema.get("id", path)
        self.kind = schema.get("assertionType", "?")
        self.expect_valid = schema.get("expectedResult", "valid") == "valid"
        self.message = schema.get("errorMessage", "")
        self.validator = make_validator(schema)

    def check(self, instance):
        """None when the assertion holds, else why not."""
        errors = list(self.validator.iter_errors(instance))
        if self.expect_valid and errors:
            best = jsonschema.exceptions.best_match(errors)
            where = "/".join(str(p) for p in best.absolute_path) or "(top)"
            return f"{self.message} [{where}: {best.message[:160]}]"
        if not self.expect_valid and not errors:
            return f"{self.message} [expected the schema to reject this]"
        return None


class Suite:
    def __init__(self, root):
        self.root = Path(root)
        if not (self.root / "definitions").is_dir():
            sys.exit(f"validate.py: no W3C test suite at {self.root} (pass --reference DIR)")
        self.definitions = {}
        for p in sorted((self.root / "definitions").glob("*.json")):
            schema = json.loads(p.read_text(encoding="utf-8"))
            self.definitions[schema.get("id", p.name)] = schema
        self.format_checker = Draft4Validator.FORMAT_CHECKER
        self.registry = None
        self._check_formats_are_enforced()
        self.musts = {kind: self._load_list(path) for kind, path in MUST_LISTS.items()}

    def _check_formats_are_enforced(self):
        for fmt, bad, good, package in [
            ("uri", "not a uri", "urn:newsnote:x", "rfc3987"),
            ("date-time", "21 Nov 2026", "2026-11-21T23:59:39Z", "rfc3339-validator"),
        ]:
            if self.format_checker.conforms(bad, fmt) or not self.format_checker.conforms(good, fmt):
                sys.exit(
                    f"validate.py: jsonschema does not check the {fmt!r} format; "
                    f"install {package} (python3 -m pip install {package})"
                )

    def _make_validator(self, schema):
        # `$ref`s such as "id.json#/definitions/stringUri" resolve against the assertion's own
        # `id` ("3.1-annotationIdValidated.json") to "id.json", the `id` of definitions/id.json.
        if self.registry is None:
            try:
                from referencing import Registry
                from referencing.jsonschema import DRAFT4

                self.registry = Registry().with_resources(
                    (uri, DRAFT4.create_resource(s)) for uri, s in self.definitions.items()
                )
            except ImportError:  # jsonschema < 4.18: the older RefResolver with a store
                resolver = jsonschema.RefResolver(schema.get("id", ""), schema, store=dict(self.definitions))
                return Draft4Validator(schema, resolver=resolver, format_checker=self.format_checker)
        return Draft4Validator(schema, registry=self.registry, format_checker=self.format_checker)

    def _load_list(self, rel):
        listing = json.loads((self.root / rel).read_text(encoding="utf-8"))
        out = []
        for path in listing["assertions"]:
            schema = json.loads((self.root / path).read_text(encoding="utf-8"))
            out.append(Assertion(path, schema, self._make_validator))
        if not out:
            sys.exit(f"validate.py: {rel} lists no assertions")
        return out


class Report:
    def __init__(self):
        self.checks = 0
        self.failures = []
        self.counts = {}

    def run(self, kind, assertions, instance, label):
        self.counts[kind] = self.counts.get(kind, 0) + 1
        for a in assertions:
            self.checks += 1
            why = a.check(instance)
            if why:
                self.failures.append((label, a.name, why))

    def fail(self, label, name, why):
        self.checks += 1
        self.failures.append((label, name, why))

    def failed(self, assertion_name):
        return any(name == assertion_name for _, name, _ in self.failures)


def types_of(node):
    t = node.get("type") if isinstance(node, dict) else None
    return set(t if isinstance(t, list) else [t])


def validate(doc, suite):
    """Every MUST the document's parts are subject to; returns the Report."""
    report = Report()
    if not isinstance(doc, dict):
        report.fail("(document)", "shape", "the export is not a JSON object")
        return report
    context = doc.get("@context")
    kinds = types_of(doc)
    page = None
    if "AnnotationCollection" in kinds:
        report.run("collection", suite.musts["collection"], doc, f"collection {doc.get('id')}")
        page = doc.get("first")
        if isinstance(page, list) and len(page) == 1:
            page = page[0]
        if isinstance(page, dict):  # the page assertions are for "a Collection with an embedded Page"
            report.run("page", suite.musts["page"], doc, f"page {page.get('id')}")
        else:  # a page by reference has nothing here to check (newsnote embeds its page)
            page = None
    elif "AnnotationPage" in kinds:
        report.run("page", suite.musts["page"], doc, f"page {doc.get('id')}")
        page = doc
    else:  # a single Annotation, or something meant as one (the assertions say what is wrong)
        report.run("annotation", suite.musts["annotation"], doc, f"annotation {doc.get('id')}")
        return report

    items = page.get("items", []) if isinstance(page, dict) else []
    if not isinstance(items, list):
        items = []
    seen = set()
    for i, item in enumerate(items):
        label = f"items[{i}] {item.get('id') if isinstance(item, dict) else item!r}"
        if not isinstance(item, dict):  # the model allows an IRI here, but then there is nothing to check
            report.fail(label, "embedded-annotation", "an item is not an embedded Annotation")
            continue
        if "@context" not in item and context is not None:
            item = dict(item, **{"@context": context})  # the context it is in, as JSON-LD reads it
        report.run("annotation", suite.musts["annotation"], item, label)
        ident = json.dumps(item.get("id"), sort_keys=True)
        if ident in seen:
            report.fail(label, "unique-ids", "two annotations share this id")
        seen.add(ident)
    report.checks += 1  # unique-ids, counted once
    if "AnnotationCollection" in kinds and "total" in doc and isinstance(page, dict) and "next" not in page:
        report.checks += 1
        if doc["total"] != len(items):
            report.failures.append(
                ("collection", "total-matches-items", f"total is {doc['total']} but the only page holds {len(items)}")
            )
    return report


def summary(report, source):
    parts = [f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in report.counts.items()]
    musts = ", ".join(f"{k} {len(v)}" for k, v in SUITE.musts.items())
    return (
        f"w3c validate {source}: {', '.join(parts) or 'nothing'} checked against the MUST assertions "
        f"({musts}): {report.checks} checks, {len(report.failures)} failed"
    )


def print_failures(report, limit=40):
    for label, name, why in report.failures[:limit]:
        print(f"  FAIL {label}: {name}: {why}", file=sys.stderr)
    if len(report.failures) > limit:
        print(f"  … and {len(report.failures) - limit} more", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Self-test: a known-good annotation and collection pass; each deliberate breakage is rejected by
# the assertion that covers it.


def good_annotation():
    return {
        "@context": CONTEXT,
        "id": "urn:newsnote:annotation:a.txt:2eba8bdc",
        "type": "Annotation",
        "motivation": "classifying",
        "created": "2026-11-21T23:59:27Z",
        "modified": "2026-11-21T23:59:30Z",
        "creator": {"type": "Person", "name": "ana"},
        "body": [
            {"type": "TextualBody", "purpose": "classifying", "value": "Source", "format": "text/plain"},
            {"type": "TextualBody", "purpose": "commenting", "value": "spokesman", "format": "text/plain"},
        ],
        "target": {
            "type": "SpecificResource",
            "source": {"id": "urn:newsnote:article:a.txt", "type": "Text", "format": "text/plain", "label": "T"},
            "selector": [
                {"type": "TextQuoteSelector", "exact": "Peskov", "prefix": "👍🏽 ", "suffix": " said"},
                {"type": "TextPositionSelector", "start": 3, "end": 9},
            ],
        },
    }


def good_link():
    return {
        "id": "urn:newsnote:link:a.txt:01a91f1b",
        "type": "Annotation",
        "motivation": "linking",
        "modified": "2026-11-21T23:59:43Z",
        "creator": {"type": "Person", "name": "ana"},
        "body": "urn:newsnote:annotation:a.txt:2eba8bdc",
        "target": "urn:newsnote:annotation:a.txt:01a91f1b",
    }


def good_collection(items):
    return {
        "@context": CONTEXT,
        "id": "urn:newsnote:collection:0123456789abcdef",
        "type": "AnnotationCollection",
        "label": "newsnote annotations",
        "total": len(items),
        "first": {
            "id": "urn:newsnote:collection:0123456789abcdef:page:1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
        "last": "urn:newsnote:collection:0123456789abcdef:page:1",
    }


def broken(mutate, base=good_annotation):
    doc = copy.deepcopy(base())
    mutate(doc)
    return doc


def embedded(item):
    item = dict(item)
    item.pop("@context", None)
    return item


def without(key):
    return lambda d: d.pop(key)


SELF_TESTS = [
    # (what, document, the assertion that must reject it)
    ("id with a space is no URI", broken(lambda d: d.update(id="urn:newsnote:a b")), "3.1-annotationIdValidated.json"),
    ("relative id is no URI", broken(lambda d: d.update(id="a.txt/2eba8bdc")), "3.1-annotationIdValidated.json"),
    ("non-ASCII id is no URI", broken(lambda d: d.update(id="urn:newsnote:article:Ü.txt")), "3.1-annotationIdValidated.json"),
    ("wrong @context", broken(lambda d: d.update({"@context": "http://example.org/ctx"})), "3.1-annotationContextValidated.json"),
    ("missing @context", broken(without("@context")), "3.1-annotationContextValidated.json"),
    ("wrong type", broken(lambda d: d.update(type="Note")), "3.1-annotationTypeValidated.json"),
    ("no target", broken(without("target")), "3.1-targetKeyFound.json"),
    ("target source not a URI", broken(lambda d: d["target"].update(source="article one")), "3.2-targetObjectsRecognized.json"),
    ("body and bodyValue", broken(lambda d: d.update(bodyValue="Source")), "3.2.5-notBodyBodyValue.json"),
    ("created not RFC 3339", broken(lambda d: d.update(created="21 Nov 2026")), "3.3.1-annotationCreatedValidated.json"),
    ("two modified values", broken(lambda d: d.update(modified=["2026-11-21T23:59:30Z"] * 2)), "3.3.1-annotationModifiedValidated.json"),
    (
        "negative TextPositionSelector start",
        broken(lambda d: d["target"]["selector"][1].update(start=-1)),
        "4.2-textDataPositionSelectorValid.json",
    ),
    (
        "TextPositionSelector without end",
        broken(lambda d: d["target"]["selector"][1].pop("end")),
        "4.2-textDataPositionSelectorValid.json",
    ),
    (
        "TextQuoteSelector without exact",
        broken(lambda d: d["target"]["selector"][0].pop("exact")),
        "4.2.4-textQuoteSelectorValid.json",
    ),
    (
        "purpose on an External Web Resource body",
        broken(lambda d: d["body"].append({"id": "urn:newsnote:x", "purpose": "classifying"})),
        "3.3.5-bodyEWRNoPurpose.json",
    ),
    ("collection total without first", broken(lambda d: d.pop("first"), lambda: good_collection([good_link()])), "5.1-collectionFirstValidated.json"),
    ("collection label a number", broken(lambda d: d.update(label=5), lambda: good_collection([good_link()])), "5.1-collectionLabelValidated.json"),
    (
        "page item neither Annotation nor URI",
        broken(lambda d: d["first"]["items"].append(42), lambda: good_collection([good_link()])),
        "5.2-pageItemsValidated.json",
    ),
    (
        "broken annotation inside the collection",
        broken(lambda d: d["first"]["items"][0].update(created="yesterday"), lambda: good_collection([embedded(good_annotation())])),
        "3.3.1-annotationCreatedValidated.json",
    ),
    (
        "total disagrees with the items",
        broken(lambda d: d.update(total=7), lambda: good_collection([good_link()])),
        "total-matches-items",
    ),
    (
        "duplicate annotation ids",
        good_collection([good_link(), good_link()]),
        "unique-ids",
    ),
]


# The suite's own samples: every incorrect one must be rejected, every correct one accepted but
# these, which the final model or the suite's schemas themselves do not accept.
SUITE_SAMPLES_NOT_VALID = {
    "anno11.json": "target type Composite, dropped from the final model",
    "anno12.json": "target type List, dropped from the final model",
    "anno13.json": "target type Independents, dropped from the final model",
    "collection1.json": "embeds anno11-13",
    "example42.json": "a page whose partOf is an IRI; the page assertions want an object there",
    "example43.json": "a page whose partOf is an IRI; the page assertions want an object there",
}


def check_suite_samples(suite):
    """Most incorrect samples have a stray trailing comma besides the fault they show; it is
    dropped so that the schemas, not the JSON parser, reject them. One is not JSON at all."""
    ok, counts = True, {"correct": 0, "incorrect": 0, "not JSON": 0}
    for kind in ("correct", "incorrect"):
        for p in sorted((suite.root / "samples" / kind).glob("*.json")):
            text = p.read_text(encoding="utf-8")
            try:
                doc = json.loads(re.sub(r",(\s*[}\]])", r"\1", text))
            except json.JSONDecodeError:
                if kind == "incorrect":
                    counts["not JSON"] += 1
                    continue
                raise
            rejected = bool(validate(doc, suite).failures)
            should_pass = kind == "correct" and p.name not in SUITE_SAMPLES_NOT_VALID
            if rejected == should_pass:
                ok = False
                print(f"self-test: suite sample {kind}/{p.name} was {'rejected' if rejected else 'accepted'}", file=sys.stderr)
            elif not rejected or kind == "incorrect":
                counts[kind] += 1
    return ok, counts


def self_test(suite):
    ok = True
    goods = [
        ("good annotation", good_annotation()),
        ("good link", dict(good_link(), **{"@context": CONTEXT})),
        ("good collection", good_collection([embedded(good_annotation()), good_link()])),
        ("empty collection", {k: v for k, v in good_collection([]).items() if k not in ("first", "last")}),
    ]
    for what, doc in goods:
        r = validate(doc, suite)
        if r.failures:
            ok = False
            print(f"self-test: {what} was rejected:", file=sys.stderr)
            print_failures(r)
    rejected = 0
    for what, doc, expected in SELF_TESTS:
        r = validate(doc, suite)
        if r.failed(expected):
            rejected += 1
        else:
            ok = False
            got = sorted({name for _, name, _ in r.failures}) or "nothing"
            print(f"self-test: {what}: expected {expected} to reject it, got {got}", file=sys.stderr)
    samples_ok, counts = check_suite_samples(suite)
    ok = ok and samples_ok
    print(
        f"w3c validate --self-test: {len(goods)} valid documents accepted, "
        f"{rejected}/{len(SELF_TESTS)} deliberately broken ones rejected by the expected assertion; "
        f"suite samples: {counts['incorrect']} incorrect rejected by the schemas (+{counts['not JSON']} not JSON), "
        f"{counts['correct']} correct accepted (+{len(SUITE_SAMPLES_NOT_VALID)} known exceptions rejected)" + ("" if ok else " — FAILED")
    )
    return ok


def build_samples_export():
    """The bundled samples' export, written by an ignored unit test of src/export/w3c.rs."""
    cmd = ["cargo", "test", "--quiet", "--locked", "--lib", "export::w3c::tests::write_samples", "--", "--ignored", "--exact"]
    with tempfile.TemporaryDirectory(prefix="newsnote-w3c-") as tmp:
        out = Path(tmp) / "samples.jsonld"
        print(f"validate.py: NEWSNOTE_W3C_OUT=<temp file> {' '.join(cmd)}", file=sys.stderr)
        done = subprocess.run(cmd, cwd=REPO, env=dict(os.environ, NEWSNOTE_W3C_OUT=str(out)), stdout=subprocess.DEVNULL)
        if done.returncode != 0 or not out.exists():
            sys.exit("validate.py: could not build the samples' export with cargo")
        return out.read_text(encoding="utf-8")


def main():
    global SUITE
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("export", nargs="?", help="the W3C export to check ('-' for stdin); default: build the samples' export")
    ap.add_argument("--self-test", action="store_true", help="check that broken inputs are rejected, then exit")
    ap.add_argument("--reference", default=os.environ.get("NEWSNOTE_W3C_SUITE", DEFAULT_SUITE), help="the W3C test suite folder")
    args = ap.parse_args()
    SUITE = Suite(args.reference)
    if args.self_test:
        return 0 if self_test(SUITE) else 1
    if args.export == "-":
        text, source = sys.stdin.read(), "stdin"
    elif args.export:
        text, source = Path(args.export).read_text(encoding="utf-8"), args.export
    else:
        text, source = build_samples_export(), "(the bundled samples' export)"
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        print(f"w3c validate {source}: not JSON: {e}", file=sys.stderr)
        return 1
    report = validate(doc, SUITE)
    if report.counts.get("annotation", 0) == 0 and doc.get("total", 0) != 0:
        report.fail("(document)", "annotations-present", "no annotations found to check")
    print_failures(report)
    print(summary(report, source))
    return 1 if report.failures else 0


SUITE = None

if __name__ == "__main__":
    sys.exit(main())
