#!/usr/bin/env python3
"""The source tree's layering, checked: no two source files that call each other in a circle, no
header that includes itself through others, and calls only downward between folders
(core <- log <- store <- index <- service <- http <- app). Exits 1 naming what breaks a rule.

The call graph is read from the text: a function defined at the top level of a .c file, called
by name from another. That is enough for this code base, whose functions all start with nt_."""
import glob
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "src")
LAYERS = ["core", "log", "store", "index", "service", "http", "app"]  # each may call those before it
DEF = re.compile(r"^(?:[A-Za-z_][\w\s\*]*?)\b(nt_\w+)\s*\([^;{]*\)\s*\{", re.M)
CALL = re.compile(r"\b(nt_\w+)\s*\(")


def strip_comments(text):
    return re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)


def main():
    files = sorted(glob.glob(os.path.join(ROOT, "*", "*.c")))
    text = {f: strip_comments(open(f, encoding="utf-8").read()) for f in files}
    defined = {}
    for f in files:
        for m in DEF.finditer(text[f]):
            defined.setdefault(m.group(1), f)
    calls = {f: {} for f in files}
    for f in files:
        for name in set(CALL.findall(text[f])):
            g = defined.get(name)
            if g is not None and g != f:
                calls[f].setdefault(g, []).append(name)
    problems = []

    def folder(f):
        return os.path.basename(os.path.dirname(f))

    for f in files:
        for g, names in calls[f].items():
            a, b = folder(f), folder(g)
            if a in LAYERS and b in LAYERS and LAYERS.index(b) > LAYERS.index(a):
                problems.append("%s calls up into %s: %s" % (rel(f), rel(g), ", ".join(sorted(names))))

    # Circles: strongly connected components of more than one file (Tarjan).
    index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in calls[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            sccs.append(comp)

    sys.setrecursionlimit(10000)
    for v in files:
        if v not in index:
            visit(v)
    for comp in sccs:
        if len(comp) > 1:
            lines = ["files that call each other in a circle:"]
            for a in sorted(comp):
                for b in sorted(comp):
                    if b in calls[a]:
                        lines.append("  %s -> %s (%s)" % (rel(a), rel(b), ", ".join(sorted(calls[a][b])[:4])))
            problems.append("\n".join(lines))

    headers = sorted(glob.glob(os.path.join(ROOT, "*", "*.h")))
    includes = {}
    for h in headers:
        includes[h] = [os.path.join(ROOT, m) for m in re.findall(r'#include "([^"]+)"', open(h, encoding="utf-8").read())]

    def walk(h, path):
        for n in includes.get(h, []):
            if n in path:
                problems.append("header circle: " + " -> ".join(rel(x) for x in path[path.index(n):] + [n]))
                return
            walk(n, path + [n])

    for h in headers:
        walk(h, [h])

    for p in sorted(set(problems)):
        print(p)
    print("layers: %d source files, %d headers, %d problems" % (len(files), len(headers), len(set(problems))))
    return 1 if problems else 0


def rel(p):
    return os.path.relpath(p, os.path.join(ROOT, ".."))


if __name__ == "__main__":
    sys.exit(main())
