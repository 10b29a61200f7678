#!/usr/bin/env python3
"""A screening corpus at scale, in the format of the development set (names-dev): persons.jsonl and
queries.jsonl with expect and also.

Name parts are drawn with the development set's own frequencies (family names, middle and given names
by gender, how many middle names), so a million persons repeat names as the registry would; stage
names and handles follow the same patterns. Queries come in seventeen kinds (POSITIVE: the
development set's ten, and initials, typos of two edits, a typo with a sound-alike, handles of
initials, honorifics, nicknames in quotes, names without the family name) and ten kinds of negatives
(NEGATIVE: each hard in one of those ways), a fifth of all queries.

The labels are honest: `also` lists every person the query cannot tell apart from `expect` -- the
same name (and birth year, when the query gives one); for a typo or a sound-alike, everyone whose
name differs only in the changed words, each as close to the query as the person's own (or with the
same sound); for initials, everyone with those initials and that given name; for a handle of
initials, everyone whose initials and given name make its letters; for a name without its family
name, everyone whose legal name ends so; for a handle, the same letters once separators, filler
words, digits and leetspeak are removed. A negative has nobody with its name, nor with its family,
middle (in order, maybe among others) and given names born within a year of its year.

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


HONORIFICS = {"f": ["Chị", "Cô", "Bà", "Em", "chị", "cô"], "m": ["Anh", "Chú", "Ông", "Em", "anh", "chú"]}
NICKNAMES = ["Bông", "Tý", "Tèo", "Mèo", "Bống", "Cún", "Ớt", "Xu", "Gạo", "Nấm", "Bơ", "Sóc", "Bin", "Mít", "Kem", "Bé"]
POSITIVE = ["ascii", "lower_ascii_nospace", "western_order", "drop_middle", "typo", "soundalike", "stage_name",
            "handle_suffix", "handle_separator", "handle_leet", "initials", "typo2", "typo_sound", "handle_initials",
            "honorific", "nickname", "no_family"]
NEGATIVE = ["negative", "neg_family", "neg_sound_given", "neg_swap", "neg_typo", "neg_initials", "neg_handle_initials",
            "neg_honorific", "neg_nickname", "neg_no_family"]


def sound(w):
    """A word's sound key, as the index computes it (core/names.c): spellings of one sound share it."""
    w = plain(w).lower()
    out, p = "", w
    if p[:2] in ("gi", "gy") and len(p) > 2 and p[2] in "aeiouy":
        out, p = "z", p[2:]
    else:
        for frm, to in [("ngh", "n"), ("ng", "n"), ("nh", "nh"), ("kh", "kh"), ("ch", "ch"), ("th", "th"), ("gh", "g"),
                        ("tr", "ch"), ("ph", "f"), ("qu", "w"), ("d", "z"), ("r", "z"), ("z", "z"), ("j", "z"), ("s", "x"),
                        ("k", "c"), ("q", "c"), ("f", "f"), ("w", "w")]:
            if p.startswith(frm):
                out, p = to, p[len(frm):]
                break
    out += p.replace("y", "i")
    if any(c in "aeiou" for c in out):
        if len(out) >= 3 and out[-2] == "n" and out[-1] in "gh":
            out = out[:-1]
        elif len(out) >= 3 and out[-2:] in ("ch", "kh", "tr"):
            out = out[:-2] + "c"
        elif len(out) >= 2 and out[-1] == "k" and out[-2] in "aeiouy":
            out = out[:-1] + "c"
    return out


def dist(a, b):
    """Edit distance with swaps of neighbours (optimal string alignment)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def typo(rng, word):
    s = list(word)
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
    return "".join(s)


def sound_change(rng, words, avoid=-1):
    """Respells one word as it sounds (dialect, teen code); the word's index, or -1."""
    for _ in range(20):
        w = rng.randrange(len(words))
        if w == avoid:
            continue
        x = words[w].lower()
        frm, to = rng.choice(SOUND + FINALS)
        if (frm, to) in FINALS and x.endswith(frm):
            words[w] = x[:-len(frm)] + to
            return w
        if (frm, to) in SOUND and frm in x and (frm not in ("ng", "ngh", "tr", "ph", "qu", "gi", "d") or x.startswith(frm)):
            at = x.index(frm)
            if frm in ("c", "k") and x[at + 1:at + 2] == "h":
                continue  # ch and kh are sounds of their own: "khau" is not Châu said another way
            words[w] = x[:at] + to + x[at + len(frm):]
            return w
    return -1


def initials_of(words):
    return "".join(plain(w)[0].lower() for w in words)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dev")
    ap.add_argument("out")
    ap.add_argument("--persons", type=int, default=1000000)
    ap.add_argument("--queries", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    fam, mid, giv, nmid = learn(a.dev)
    sf, sm = Sampler(fam), {g: Sampler(mid[g]) for g in "fm"}
    sg, sn = {g: Sampler(giv[g]) for g in "fm"}, Sampler(nmid)
    os.makedirs(a.out, exist_ok=True)
    persons = []
    idx = collections.defaultdict(lambda: collections.defaultdict(list))
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
            persons.append((name, year, aliases, handles, g))
            t = name.split()
            ini = initials_of(t[:-1])
            idx["name"][plain(name).lower()].append(i)
            idx["fg_year"][(family, given, year)].append(i)
            idx["fg"][(pf, pg)].append(i)
            idx["init_plain"][(ini, pg)].append(i)
            idx["init_letters"][ini + pg].append(i)
            idx["init_toned"][(ini, given.lower())].append(i)
            for k in range(2, len(t)):  # the name without its family name, or without more of its front
                idx["tail_plain"][plain(" ".join(t[-k:])).lower()].append(i)
                idx["tail_toned"][" ".join(t[-k:]).lower()].append(i)
            for al in aliases:
                idx["alias"][al].append(i)
            for h in handles:
                idx["letters"][letters(h)].append(i)
    names = idx["name"]
    used_given = {k[1] for k in idx["fg"]}
    rare = [g for g in RARE_GIVEN if plain(g).lower() not in used_given]
    given_vocab = sorted({n.split()[-1] for n, _, _, _, _ in persons})
    family_plain = {plain(k).lower() for k in fam}
    by_sound = collections.defaultdict(list)
    for gv in given_vocab:
        by_sound[sound(gv)].append(gv)

    def nobody(words, year=None):
        """No person has these words as their name, nor these family, middle (in order, maybe among others)
        and given names (born within a year of the query's): a query of them is a negative."""
        pw = [plain(w).lower() for w in words]
        if " ".join(pw) in names:
            return False
        for x in idx["fg"].get((pw[0], pw[-1]), []):
            mids = [plain(m).lower() for m in persons[x][0].split()[1:-1]]
            it = iter(mids)
            if all(m in it for m in pw[1:-1]) and (year is None or abs(persons[x][1] - year) <= 1):
                return False
        return True

    def spell(words, toned):
        return " ".join(words if toned else [plain(w) for w in words])

    def dotted(ini_words, rng):
        style = rng.choice(["dots", "dots", "spaces", "joined", "packed"])
        ls = [w[0].upper() if rng.random() < 0.8 else plain(w[0]).upper() for w in ini_words]
        if style == "dots":
            return " ".join(x + "." for x in ls)
        if style == "spaces":
            return " ".join(ls)
        if style == "joined":
            return "".join(x + "." for x in ls)
        return "".join(ls)

    out, pending = [], []
    n_neg = a.queries // 5
    for qi in range(a.queries):
        kind = rng.choice(NEGATIVE) if qi >= a.queries - n_neg else rng.choice(POSITIVE)
        for _ in range(200):
            i = rng.randrange(a.persons)
            name, year, aliases, handles, gender = persons[i]
            t = name.split()
            q, also, spec, exp = {}, [], None, i
            same_name = names[plain(name).lower()]
            toned = rng.random() < 0.6
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
                also = idx["fg_year"][(t[0], t[-1], year)]
            elif kind in ("typo", "typo2", "typo_sound", "soundalike"):
                t2 = [plain(x) for x in t]
                changed = {}
                if kind == "soundalike" or kind == "typo_sound":
                    w = sound_change(rng, t2)
                    if w < 0:
                        continue
                    changed[w] = "sound"
                if kind != "soundalike":
                    for _ in range(2 if kind == "typo2" else 1):
                        w = rng.randrange(len(t2))
                        if changed.get(w) == "sound":
                            continue
                        base = t2[w] if w in changed else (t2[w].lower() if rng.random() < 0.5 else t[w])
                        t2[w] = typo(rng, base)
                        changed[w] = "typo"
                    if not any(v == "typo" for v in changed.values()):
                        continue
                if any(not t2[w] for w in changed):
                    continue
                q["name"] = " ".join(t2)
                spec = [(w, "sound", sound(t2[w])) if how == "sound" else
                        (w, "typo", plain(t2[w]).lower(), dist(plain(t2[w]).lower(), plain(t[w]).lower()))
                        for w, how in sorted(changed.items())]
            elif kind == "stage_name":
                if not aliases:
                    continue
                al = rng.choice(aliases)
                q["name"] = al
                also = idx["alias"][al]
            elif kind.startswith("handle_") and kind != "handle_initials":
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
                also = idx["letters"][letters(h)]
            elif kind == "initials":
                q["name"] = dotted(t[:-1], rng) + " " + (t[-1] if toned else plain(t[-1]))
                key = (initials_of(t[:-1]), t[-1].lower() if toned else plain(t[-1]).lower())
                also = idx["init_toned" if toned else "init_plain"][key]
                if rng.random() < 0.3:
                    q["name"] += f" {year}"
                    also = [x for x in also if persons[x][1] == year]
            elif kind == "handle_initials":
                body = initials_of(t[:-1]) + rng.choice(["", "", ".", "_"]) + plain(t[-1]).lower()
                if rng.random() < 0.4:
                    body += f"{year % 100:02d}"
                q["handle"] = "@" + body
                # every person whose initials and given name make these letters, however they divide
                also = set(idx["init_letters"][letters(body)]) | set(idx["letters"][letters(body)])
            elif kind == "honorific":
                q["name"] = rng.choice(HONORIFICS[gender]) + " " + spell(t, toned)
                also = same_name
            elif kind == "nickname":
                nick = rng.choice(NICKNAMES)
                quoted = rng.choice([f'"{nick}"', f"“{nick}”", f"'{nick}'"])
                where = rng.choice(["end", "start", "before_given"])
                words = [x if toned else plain(x) for x in t]
                if where == "end":
                    q["name"] = " ".join(words + [quoted])
                elif where == "start":
                    q["name"] = " ".join([quoted] + words)
                else:
                    q["name"] = " ".join(words[:-1] + [quoted, words[-1]])
                also = same_name
            elif kind == "no_family":
                if len(t) < 3:
                    continue
                q["name"] = spell(t[1:], toned)
                also = idx["tail_toned" if toned else "tail_plain"][q["name"].lower()]
                if rng.random() < 0.5:
                    q["birth_year"] = year
                    also = [x for x in also if persons[x][1] == year]
            else:  # the negatives: a person who is not in the corpus, hard in one way or another
                exp, words = None, None
                if kind in ("negative", "neg_honorific", "neg_nickname", "neg_initials", "neg_handle_initials", "neg_no_family"):
                    words = t[:-1] + [rng.choice(rare)]
                elif kind == "neg_family":  # another family name before the person's middle and given names
                    words = [sf(rng)] + t[1:]
                elif kind == "neg_sound_given":  # a given name that sounds like theirs ("Lê Hữu Dân", Giang)
                    alike = [x for x in by_sound[sound(t[-1])] if plain(x).lower() != plain(t[-1]).lower()]
                    if not alike:
                        continue
                    words = t[:-1] + [rng.choice(alike)]
                elif kind == "neg_typo":  # a given name one letter from theirs ("Hưng" for Hùng)
                    near = [x for x in given_vocab if dist(plain(x).lower(), plain(t[-1]).lower()) == 1]
                    if not near:
                        continue
                    words = t[:-1] + [rng.choice(near)]
                elif kind == "neg_swap":  # given and family swapped, one of them respelled ("Vũ Gia Dân", Đặng Gia Vũ)
                    if plain(t[-1]).lower() not in family_plain:
                        continue
                    alike = [x for x in by_sound[sound(t[0])] + [x for x in given_vocab if dist(plain(x).lower(), plain(t[0]).lower()) == 1]
                             if plain(x).lower() != plain(t[0]).lower()]
                    if not alike:
                        continue
                    words = [t[-1]] + t[1:-1] + [rng.choice(alike)]
                with_year = rng.random() < 0.4 and kind not in ("neg_handle_initials",)
                if not nobody(words, year if with_year else None):
                    continue
                if kind == "neg_initials":
                    if not nobody(words) or idx["init_plain"].get((initials_of(words[:-1]), plain(words[-1]).lower())):
                        continue
                    q["name"] = dotted(words[:-1], rng) + " " + (words[-1] if toned else plain(words[-1]))
                elif kind == "neg_handle_initials":
                    body = initials_of(words[:-1]) + plain(words[-1]).lower()
                    if idx["init_letters"].get(body) or idx["letters"].get(body):
                        continue
                    q["handle"] = "@" + body
                elif kind == "neg_honorific":
                    q["name"] = rng.choice(HONORIFICS[gender]) + " " + spell(words, toned)
                elif kind == "neg_nickname":
                    q["name"] = spell(words, toned) + f' "{rng.choice(NICKNAMES)}"'
                elif kind == "neg_no_family":
                    if len(words) < 3 or idx["tail_plain"].get(plain(" ".join(words[1:])).lower()):
                        continue
                    q["name"] = spell(words[1:], toned)
                else:
                    q["name"] = spell(words, toned or kind == "neg_typo")
                if with_year:
                    q["birth_year"] = year
            if kind in ("ascii", "typo", "soundalike", "western_order", "lower_ascii_nospace", "stage_name", "typo2",
                        "typo_sound", "honorific", "nickname") and rng.random() < 0.4:
                q["birth_year"] = year
                also = [x for x in also if persons[x][1] == year]
            break
        else:
            raise SystemExit(f"no query of kind {kind} after 200 persons")
        if spec is not None:
            pending.append((len(out), len(t), spec, [plain(x).lower() for x in t], q.get("birth_year")))
        out.append({"qid": f"q{qi}", "kind": kind, "query": q, "expect": exp, "also": set(also)})
    # Queries with typos and sound-alikes cannot tell their person from one whose name differs only in
    # the changed words, each at most as far from the query as the person's own (or with the same sound):
    # all of those are in `also`, found in one pass over the corpus by the words left unchanged.
    want = collections.defaultdict(list)
    for k, (oi, ntok, spec, words, _) in enumerate(pending):
        mask = tuple(w for w, *_ in spec)
        want[(ntok, mask, tuple(x for j, x in enumerate(words) if j not in mask))].append(k)
    masks = collections.defaultdict(set)
    for ntok, mask, _ in want:
        masks[ntok].add(mask)
    for x, (name, year, _, _, _) in enumerate(persons):
        words = [plain(w).lower() for w in name.split()]
        for mask in masks.get(len(words), ()):
            for k in want.get((len(words), mask, tuple(w for j, w in enumerate(words) if j not in mask)), ()):
                oi, _, spec, _, by = pending[k]
                if by and year != by:
                    continue
                if all(sound(words[w]) == s[0] if how == "sound" else dist(words[w], s[0]) <= s[1] for w, how, *s in spec):
                    out[oi]["also"].add(x)
    with open(os.path.join(a.out, "queries.jsonl"), "w", encoding="utf-8") as f:
        for o in out:
            i = None if o["expect"] is None else o["expect"]
            o["also"] = sorted(f"p{x:07d}" for x in o["also"] if x != i)
            o["expect"] = None if i is None else f"p{i:07d}"
            f.write(json.dumps(o, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
