"""Every call of nt_html (the pages' template layer, core/html.h) passes as many arguments as its
format asks for. Its conversions (%s %R %u %d %D %T %V) are its own, so the compiler's printf
check cannot see them; a call one argument short reads past its arguments — a page once showed
bytes of memory in an attribute that way.

usage: check_html_args.py SRC_DIR"""

import os
import re
import sys

CONV = re.compile(r"%(%|[sRudDTV])")


def calls(text):
    """(line, format, number of arguments after it) of each nt_html(...) call."""
    for m in re.finditer(r"\bnt_html\(", text):
        i = m.end()
        depth, args, cur, fmt_parts, in_str, esc = 1, [], "", [], False, False
        while i < len(text) and depth > 0:
            c = text[i]
            if in_str:
                cur += c
                if esc:
                    esc = False
                elif c == "\\":
                    esc = True
                elif c == '"':
                    in_str = False
            elif c == '"':
                in_str = True
                cur += c
            elif c in "([{":
                depth += 1
                cur += c
            elif c in ")]}":
                depth -= 1
                if depth > 0:
                    cur += c
            elif c == "," and depth == 1:
                args.append(cur)
                cur = ""
            else:
                cur += c
            i += 1
        args.append(cur)
        if len(args) < 2:
            continue
        fmt = args[1].strip()
        if not fmt.startswith('"'):
            continue  # a format chosen at run time: not checked here
        literal = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', fmt))
        line = text.count("\n", 0, m.start()) + 1
        yield line, literal, len(args) - 2


def main(src):
    bad = checked = 0
    for root, _, files in os.walk(src):
        for name in files:
            if not name.endswith(".c") or name == "html.c":
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for line, fmt, nargs in calls(text):
                checked += 1
                want = sum(1 for c in CONV.findall(fmt) if c != "%")
                if want != nargs:
                    print(f"{path}:{line}: nt_html's format asks for {want} arguments, {nargs} given")
                    bad += 1
    print(f"{checked} nt_html calls checked: {bad} with a wrong number of arguments")
    if checked < 300:
        print("too few calls found: the check is not reading the sources it should")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
