"""An independent reading of the log's formats, in Python, for the tests: RFC 6962 / RFC 9162
hashing and proof verification, checkpoints, tlog-proof receipts and our entry bytes. Written from
the specifications, not from the server's code, so the two check each other."""

import base64
import hashlib
import struct


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def root(leaves):
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaves[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(root(leaves[:k]), root(leaves[k:]))


def verify_inclusion(index, size, leaf, proof, want_root):
    """RFC 9162 §2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while (fn & 1) == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == want_root


def verify_consistency(size1, size2, root1, root2, proof):
    """RFC 9162 §2.1.4.2."""
    if size1 > size2:
        return False
    if size1 == size2:
        return not proof and root1 == root2
    if size1 == 0:
        return not proof
    if not proof:
        return False
    if size1 & (size1 - 1) == 0:
        proof = [root1] + list(proof)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while (fn & 1) == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == root1 and sr == root2


def parse_checkpoint(note):
    """(origin, size, root, signature lines) of a signed checkpoint."""
    text, sigs = note.split("\n\n", 1)
    origin, size, root_b64 = text.split("\n")[:3]
    return origin, int(size), base64.b64decode(root_b64), [s for s in sigs.split("\n") if s]


def parse_receipt(text):
    """C2SP tlog-proof: (index, proof hashes, extra bytes, checkpoint note)."""
    head, checkpoint = text.split("\n\n", 1)
    lines = head.split("\n")
    assert lines[0] == "c2sp.org/tlog-proof@v1", lines[0]
    extra = None
    i = 1
    if lines[i].startswith("extra "):
        extra = base64.b64decode(lines[i][6:])
        i += 1
    assert lines[i].startswith("index ")
    index = int(lines[i][6:])
    return index, [base64.b64decode(h) for h in lines[i + 1:]], extra, checkpoint


def parse_entry(b):
    """Our entry bytes (docs/LOG.md): (version, type, time in ms, record id, commitment)."""
    version, typ = b[0], b[1]
    (ms,) = struct.unpack(">Q", b[2:10])
    n = b[10]
    rid = b[11:11 + n].decode()
    commitment = b[11 + n:]
    assert len(commitment) == 32
    return version, typ, ms, rid, commitment


def commitment(salt, record_text):
    return hashlib.sha256(b"niemtin/log/record/v1\x00" + salt + record_text.encode()).digest()


def parse_bundle(data):
    out, o = [], 0
    while o < len(data):
        n = data[o] << 8 | data[o + 1]
        out.append(data[o + 2:o + 2 + n])
        o += 2 + n
    return out


def tile_path(level, n, width):
    """C2SP tlog-tiles: tile/<L>/<N>[.p/<W>], N in 3-digit groups, all but the last x-prefixed."""
    groups = []
    while True:
        groups.append(f"{n % 1000:03d}")
        n //= 1000
        if n == 0:
            break
    parts = [("x" + g) for g in reversed(groups[1:])] + [groups[0]]
    prefix = "tile/entries/" if level < 0 else f"tile/{level}/"
    return prefix + "/".join(parts) + ("" if width == 256 else f".p/{width}")


def static_log(entries, origin):
    """Every file of a tlog-tiles log of these entries but the checkpoint's signature:
    {path: bytes}, and the checkpoint's text."""
    files = {}
    level = [leaf_hash(e) for e in entries]
    for t in range(0, (len(entries) + 255) // 256):
        chunk = entries[t * 256:(t + 1) * 256]
        files[tile_path(-1, t, len(chunk))] = b"".join(len(e).to_bytes(2, "big") + e for e in chunk)
    lvl = 0
    while level:
        for t in range(0, (len(level) + 255) // 256):
            chunk = level[t * 256:(t + 1) * 256]
            files[tile_path(lvl, t, len(chunk))] = b"".join(chunk)
        level = [root(level[i:i + 256]) for i in range(0, len(level) - len(level) % 256, 256)]
        lvl += 1
    text = f"{origin}\n{len(entries)}\n{base64.b64encode(root([leaf_hash(e) for e in entries])).decode()}\n"
    return files, text


def verify_note(note, vkey):
    """The text of a C2SP signed note if one of its signatures is vkey's (name+hash+base64 of
    0x01 and the Ed25519 key), checked with python3-nacl; raises ValueError otherwise."""
    import nacl.exceptions
    import nacl.signing
    name, key_hash, key_b64 = vkey.strip().split("+", 2)
    key = base64.b64decode(key_b64)
    if key[0] != 1 or hashlib.sha256(name.encode() + b"\n" + key).digest()[:4].hex() != key_hash:
        raise ValueError("not an Ed25519 note key")
    text, sigs = note.split("\n\n", 1)
    text += "\n"
    for line in sigs.split("\n"):
        if not line.startswith("\u2014 "):
            continue
        sig_name, sig_b64 = line[2:].rsplit(" ", 1)
        sig = base64.b64decode(sig_b64)
        if sig_name != name or sig[:4].hex() != key_hash:
            continue
        try:
            nacl.signing.VerifyKey(key[1:]).verify(text.encode(), sig[4:])
            return text
        except nacl.exceptions.BadSignatureError:
            raise ValueError("bad signature")
    raise ValueError("no signature by the key")
