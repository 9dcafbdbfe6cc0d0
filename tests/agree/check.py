"""Character-level agreement computed by independent implementations, for tests/agree.rs.

Reads a neutral dump of what each coder coded (written by the test from the annotation
files: every accepted annotation's label and pieces, in code points, and each article's
length), expands it to one value per code point per coder, and prints JSON:
Krippendorff's alpha (the `krippendorff` package, level nominal) for all coders and
scikit-learn's `cohen_kappa_score` for every pair, per label and overall (a code point's
value overall is the set of labels covering it). A figure that is not defined (no
variation) is null.

    python check.py DUMP.json
"""

import json
import math
import sys

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score


def codings(dump, label_bits):
    """One int array per coder over all articles end to end: the OR of the bits of the
    labels covering each code point."""
    total = sum(a["chars"] for a in dump["articles"])
    out = [np.zeros(total, dtype=np.int64) for _ in dump["coders"]]
    at = 0
    for article in dump["articles"]:
        for c, units in enumerate(article["coders"]):
            for label, pieces in units:
                bit = label_bits.get(label)
                if bit is None:
                    continue
                for start, end in pieces:
                    seg = out[c][at + start : at + end]
                    out[c][at + start : at + end] = seg | bit
        at += article["chars"]
    return out


def alpha(rows):
    data = np.array(rows, dtype=float)
    if len(np.unique(data)) < 2:
        return None
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def kappa(x, y):
    if len(np.unique(np.concatenate([x, y]))) < 2:
        return None
    k = cohen_kappa_score(x, y)
    return None if math.isnan(k) else float(k)


def figures(rows, names):
    pairs = {}
    for a in range(len(rows)):
        for b in range(a + 1, len(rows)):
            pairs[names[a] + "|" + names[b]] = kappa(rows[a], rows[b])
    return {"alpha": alpha(rows), "kappa": pairs}


def main():
    dump = json.load(open(sys.argv[1], encoding="utf-8"))
    names = dump["coders"]
    out = {"labels": {}}
    for i, label in enumerate(dump["labels"]):
        rows = codings(dump, {label: 1})
        out["labels"][label] = figures(rows, names)
    bits = {label: 1 << i for i, label in enumerate(dump["labels"])}
    out["overall"] = figures(codings(dump, bits), names)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
