#!/usr/bin/env python3
"""Writes a CASE 1.1 package of state scale for the import benchmark:
ITEMS items (default 5 000) in a tree four levels deep, and ASSOCIATIONS
associations (default 30 000): one isChildOf per item, the rest spread over
every other CASE 1.1 type, two thirds between items of the package and one
third to nodes outside it. Same arguments, same bytes.

Usage: scripts/gen-case-package.py OUT [ITEMS] [ASSOCIATIONS]
"""
import json
import random
import sys
import uuid

out = sys.argv[1]
items_wanted = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
associations_wanted = int(sys.argv[3]) if len(sys.argv) > 3 else 30000
rng = random.Random(23)
namespace = uuid.UUID("6f1c1e5a-3a5e-4d3c-9b1e-0c7d2a4f5e6b")


def ident(name):
    return str(uuid.uuid5(namespace, name))


T = "2026-01-15T00:00:00+00:00"
doc = ident("document")
document = {
    "identifier": doc,
    "uri": f"https://case.example.org/uri/{doc}",
    "caseVersion": "1.1",
    "creator": "Generated State Department of Education",
    "title": "Generated state framework",
    "lastChangeDateTime": T,
}
items, associations = [], []
parents = [None]
levels = ["Strand", "Standard", "Benchmark", "Indicator"]
for n in range(items_wanted):
    depth = min(3, len(parents) - 1) if n else 0
    parent = rng.choice(parents[: max(1, len(parents))]) if n else None
    if n % 50 == 0:
        parent = None
    code = f"G.{n // 1000}.{(n // 100) % 10}.{n % 100:02d}"
    i = ident(f"item/{n}")
    items.append({
        "identifier": i,
        "uri": f"https://case.example.org/uri/{i}",
        "fullStatement": f"Students demonstrate generated competency {n}: measure, record and explain the result of task {n} to the stated tolerance.",
        "humanCodingScheme": code,
        "CFItemType": levels[depth],
        "lastChangeDateTime": T,
    })
    destination = doc if parent is None else parent
    associations.append({
        "identifier": ident(f"child/{n}"),
        "associationType": "isChildOf",
        "sequenceNumber": n + 1,
        "uri": f"https://case.example.org/uri/{ident(f'child/{n}')}",
        "originNodeURI": {"title": code, "identifier": i, "uri": f"https://case.example.org/uri/{i}"},
        "destinationNodeURI": {"title": "parent", "identifier": destination, "uri": f"https://case.example.org/uri/{destination}"},
        "lastChangeDateTime": T,
    })
    if len(parents) < 400:
        parents.append(i)
    elif rng.random() < 0.1:
        parents[rng.randrange(1, len(parents))] = i
parents = [p for p in parents if p]
kinds = ["isPeerOf", "isPartOf", "exactMatchOf", "precedes", "isRelatedTo", "replacedBy", "exemplar", "hasSkillLevel", "isTranslationOf"]
for n in range(associations_wanted - items_wanted):
    origin = items[rng.randrange(items_wanted)]
    kind = kinds[n % len(kinds)]
    if n % 3 == 2:
        other = ident(f"outside/{n}")
        destination = {"title": f"Node {n} of another framework", "identifier": other, "uri": f"https://other.example.org/uri/{other}"}
    else:
        target = items[rng.randrange(items_wanted)]
        destination = {"title": target["humanCodingScheme"], "identifier": target["identifier"], "uri": target["uri"]}
    a = ident(f"association/{n}")
    associations.append({
        "identifier": a,
        "associationType": kind,
        "uri": f"https://case.example.org/uri/{a}",
        "originNodeURI": {"title": origin["humanCodingScheme"], "identifier": origin["identifier"], "uri": origin["uri"]},
        "destinationNodeURI": destination,
        "lastChangeDateTime": T,
    })
with open(out, "w") as f:
    json.dump({"CFDocument": document, "CFItems": items, "CFAssociations": associations}, f, indent=1)
    f.write("\n")
