#!/usr/bin/env python3
"""A screening corpus at scale, in the format of the development set (names-dev): persons.jsonl and
queries.jsonl with expect and also.

Name parts are drawn with the development set's own frequencies (family names, middle and given names
by gender, how many middle names), so a million persons repeat names as the registry would; stage
names and handles follow the same patterns. Queries are derived from persons in the same kinds, and
`also` lists every person the query cannot tell apart from `expect` (the same name key and, when the
query gives one, the same birth year; or a handle with the same letters once separators, filler
words, digits and leetspeak are removed). Negatives take a real person's family and middle names with
a given name nobody in the corpus has.

usage: gen_screen.py DEV_PERSONS.jsonl OUT_DIR [--persons N] [--queries N] [--seed S]
"""

import argparse
import bisect
import collections
import json
import os
import random
import re
import unicodedata

ALIAS_SUFFIXES = ["Review", "Kitchen", "Studio", "Store", "Daily", "Official", "Vlog", "Life", "TV", "Family", "Channel",
                  "Food", "Travel", "Music", "Beauty"]
HANDLE_SUFFIXES = ["tv", "daily", "studio", "vlog", "review", "official", "real", "channel"]
QUERY_SUFFIXES = [".official", "_real", "new", "backup", "2", "vn", "_tv", ".vlog"]
FILLERS = {"official", "real", "tv", "vlog", "backup", "new", "daily", "review", "studio", "channel", "vn"}
PLATFORMS = ["facebook", "tiktok", "zalo", "instagram", "youtube"]
# Given names for negatives; those the corpus has are dropped.
RARE_GIVEN = ["Thái", "Khiêm", "Lạc", "Mạnh", "Thuận", "Xoan", "Khuyên", "Gấm", "Sen", "Vượng", "Phát", "Hiển", "Nhật",
              "Cương", "Dân", "Trà", "Đào", "Lai", "Thắm", "Mơ", "Vui", "Sang", "Bình", "Tín", "Nghĩa", "Lực", "Tường",
              "Diệp", "Hào", "Quế", "Liễu", "Cầm", "Thoa", "Nụ", "Huề", "Toại", "Khải", "Bổn", "Thịnh", "Ánh"]
SOUND = [("ngh", "ng"), ("ng", "n"), ("tr", "ch"), ("ch", "tr"), ("ph", "f"), ("qu", "w"), ("gi", "d"), ("d", "z"),
         ("s", "x"), ("x", "s"), ("c", "k"), ("k", "c"), ("y", "i"), ("i", "y")]
FINALS = [("ng", "n"), ("c", "k"), ("ch", "kh"), ("nh", "n")]


def plain(s):
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in s if not unicodedata.combining(c))


def letters(handle):
    """A handle's letters without separators, filler words, digits and leetspeak."""
    h = handle.lower().lstrip("@")
    h = re.sub(r"(?<=[a-z])[013]+(?=[a-z])", lambda m: m.group(0).translate(str.maketrans("013", "oie")), h)
    words = [w for w in re.split(r"[^a-z]+", h) if w and w not in FILLERS]
    return "".join(words)


def learn(path):
    fam, mid, giv, nmid = collections.Counter(), {"f": collections.Counter(), "m": collections.Counter()}, \
        {"f": collections.Counter(), "m": collections.Counter()}, collections.Counter()
    for line in open(path, encoding="utf-8"):
        p = json.loads(line)
        t = p["name"].split()
        fam[t[0]] += 1
        giv[p["gender"]][t[-1]] += 1
        nmid[len(t) - 2] += 1
        for m in t[1:-1]:
            mid[p["gender"]][m] += 1
    return fam, mid, giv, nmid


class Sampler:
    def __init__(self, counter):
        self.keys = list(counter)
        total, acc = sum(counter.values()), 0
        self.cum = []
        for k in self.keys:
            acc += counter[k]
            self.cum.append(acc / total)

    def __call__(self, rng):
        return self.keys[min(bisect.bisect_left(self.cum, rng.random()), len(self.keys) - 1)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dev")
    ap.add_argument("out")
    ap.add_argument("--persons", type=int, default=1000000)
    ap.add_argument("--queries", type=int, default=2500)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    fam, mid, giv, nmid = learn(a.dev)
    sf, sm = Sampler(fam), {g: Sampler(mid[g]) for g in "fm"}
    sg, sn = {g: Sampler(giv[g]) for g in "fm"}, Sampler(nmid)
    os.makedirs(a.out, exist_ok=True)
    persons = []
    by_name, by_fg_year, by_alias, by_letters = (collections.defaultdict(list) for _ in range(4))
    with open(os.path.join(a.out, "persons.jsonl"), "w", encoding="utf-8") as f:
        for i in range(a.persons):
            g = "f" if rng.random() < 0.5 else "m"
            family, given = sf(rng), sg[g](rng)
            middles = [sm[g](rng) for _ in range(sn(rng))]
            name = " ".join([family] + middles + [given])
            year = rng.randint(1975, 2006)
            pf, pg = plain(family).lower(), plain(given).lower()
            pm = plain(middles[-1]).lower() if middles else ""
            aliases = []
            for _ in range(rng.choices([0, 1, 2], [32, 56, 12])[0]):
                aliases.append(rng.choice([f"{middles[-1] if middles else family} {given} {rng.choice(ALIAS_SUFFIXES)}",
                                           f"{given} {family}"]))
            handles = []
            for _ in range(rng.randint(1, 3)):
                yy = f"{rng.randint(75, 99) if rng.random() < 0.7 else rng.randint(0, 9):02d}"
                s = rng.choice(HANDLE_SUFFIXES)
                handles.append(rng.choice([f"@{pg}.{pf}", f"@{pg}{pf}", f"@{pm}{pg}", f"@{pm}{pg}{yy}", f"@{pm}{pg}_{s}",
                                           f"@{pm}{pg}.{s}", f"@{pg}{pf}{s}", f"@{pm}{pg}{yy}{s}", f"@{pg}.{pf}_{s}"]))
            pid = f"p{i:07d}"
            p = {"id": pid, "name": name, "gender": g, "birth_year": year, "aliases": aliases,
                 "accounts": [{"platform": rng.choice(PLATFORMS), "handle": h} for h in handles]}
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
            persons.append((name, year, aliases, handles))
            by_name[plain(name).lower()].append(i)
            by_fg_year[(family, given, year)].append(i)
            for al in aliases:
                by_alias[al].append(i)
            for h in handles:
                by_letters[letters(h)].append(i)
    used_given = {plain(n.split()[-1]).lower() for n, _, _, _ in persons}
    negatives = [g for g in RARE_GIVEN if plain(g).lower() not in used_given]
    kinds = ["ascii", "lower_ascii_nospace", "western_order", "drop_middle", "typo", "soundalike", "stage_name",
             "handle_suffix", "handle_separator", "handle_leet"]
    n_neg = a.queries // 5
    with open(os.path.join(a.out, "queries.jsonl"), "w", encoding="utf-8") as f:
        for qi in range(a.queries):
            i = rng.randrange(a.persons)
            name, year, aliases, handles = persons[i]
            t = name.split()
            kind = "negative" if qi >= a.queries - n_neg else rng.choice(kinds)
            if kind == "stage_name" and not aliases:
                kind = "ascii"
            q, also = {}, []
            same_name = by_name[plain(name).lower()]
            if kind == "ascii":
                q["name"] = plain(name)
                also = same_name
            elif kind == "lower_ascii_nospace":
                q["name"] = plain(name).lower().replace(" ", rng.choice(["", "  "]))
                also = same_name
            elif kind == "western_order":
                q["name"] = " ".join([t[-1]] + t[1:-1] + [t[0]])
                also = same_name
            elif kind == "drop_middle":
                q["name"] = f"{t[0]} {t[-1]}"
                q["birth_year"] = year
                also = by_fg_year[(t[0], t[-1], year)]
            elif kind == "typo":
                w = rng.randrange(len(t))
                s = list(plain(t[w]).lower() if rng.random() < 0.5 else t[w])
                j = rng.randrange(len(s))
                op = rng.choice(["swap", "drop", "sub", "add"]) if len(s) > 2 else "sub"
                if op == "swap" and j + 1 < len(s):
                    s[j], s[j + 1] = s[j + 1], s[j]
                elif op == "drop":
                    del s[j]
                elif op == "add":
                    s.insert(j, rng.choice("aeioungh"))
                else:
                    s[j] = rng.choice("abcdeghiklmnopqrstuvxy")
                t2 = [plain(x) for x in t]
                t2[w] = "".join(s)
                q["name"] = " ".join(t2)
                also = same_name
            elif kind == "soundalike":
                t2 = [plain(x) for x in t]
                for _ in range(20):
                    w = rng.randrange(len(t2))
                    x = t2[w].lower()
                    frm, to = rng.choice(SOUND + FINALS)
                    if (frm, to) in FINALS and x.endswith(frm):
                        t2[w] = x[:-len(frm)] + to
                        break
                    if (frm, to) in SOUND and frm in x and (frm not in ("ng", "ngh", "tr", "ph", "qu", "gi", "d") or x.startswith(frm)):
                        t2[w] = x.replace(frm, to, 1)
                        break
                q["name"] = " ".join(t2)
                also = same_name
            elif kind == "stage_name":
                al = rng.choice(aliases)
                q["name"] = al
                also = by_alias[al]
            elif kind.startswith("handle"):
                h = rng.choice(handles)
                body = h.lstrip("@")
                if kind == "handle_suffix":
                    body += rng.choice(QUERY_SUFFIXES)
                elif kind == "handle_separator":
                    letters_only = re.sub(r"[^a-z]", "", body)
                    j = rng.randrange(1, max(2, len(letters_only)))
                    body = letters_only[:j] + rng.choice("._") + letters_only[j:]
                else:
                    body = body.translate(str.maketrans({"o": "0", "i": "1", "e": "3"}))
                q["handle"] = "@" + body
                also = by_letters[letters(h)]
            else:  # negative
                q["name"] = " ".join(t[:-1] + [rng.choice(negatives)])
                i = None
            if kind in ("ascii", "typo", "soundalike", "western_order", "lower_ascii_nospace", "stage_name") and rng.random() < 0.4:
                q["birth_year"] = year
                also = [x for x in also if persons[x][1] == year]
            exp = None if i is None else f"p{i:07d}"
            also_ids = sorted(f"p{x:07d}" for x in set(also) if x != i)
            f.write(json.dumps({"qid": f"q{qi}", "kind": kind, "query": q, "expect": exp, "also": also_ids},
                               ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
