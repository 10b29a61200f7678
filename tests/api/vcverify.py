"""An independent verifier of eddsa-jcs-2022 proofs and Bitstring Status Lists, written from the
W3C specifications alone: RFC 8785 canonical JSON, SHA-256, Ed25519 (Debian's python3-nacl),
base58btc and GZIP. It shares no code with the server, so a credential both accept is right by
the specifications, not merely by agreement with itself."""

import base64
import gzip
import hashlib
import json

import nacl.exceptions
import nacl.signing

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(s):
    n = 0
    for c in s:
        n = n * 58 + B58.index(c)
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * (len(s) - len(s.lstrip("1"))) + raw


def jcs(v):
    """RFC 8785 for the values credentials hold here: no real numbers."""
    if isinstance(v, dict):
        keys = sorted(v, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + jcs(v[k]) for k in keys) + "}"
    if isinstance(v, list):
        return "[" + ",".join(jcs(x) for x in v) + "]"
    if isinstance(v, float):
        raise ValueError("real numbers are not canonicalised here")
    return json.dumps(v, ensure_ascii=False)


def multikey(mb):
    raw = b58decode(mb[1:])
    assert mb[0] == "z" and raw[:2] == b"\xed\x01" and len(raw) == 34, mb
    return raw[2:]


def key_of(vm, did_doc=None):
    if vm.startswith("did:key:"):
        return multikey(vm.split("#")[0][len("did:key:"):])
    assert did_doc is not None and vm.startswith(did_doc["id"] + "#"), vm
    assert vm in did_doc["assertionMethod"], vm
    m = next(m for m in did_doc["verificationMethod"] if m["id"] == vm)
    return multikey(m["publicKeyMultibase"])


def verify(doc, did_doc=None):
    """True when doc's DataIntegrityProof (eddsa-jcs-2022) verifies."""
    proof = dict(doc["proof"])
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != "eddsa-jcs-2022":
        return False
    value = proof.pop("proofValue")
    unsecured = {k: v for k, v in doc.items() if k != "proof"}
    if "@context" in proof:
        ctx = proof["@context"]
        if unsecured.get("@context", [])[:len(ctx)] != ctx:
            return False
        unsecured["@context"] = ctx
    data = hashlib.sha256(jcs(proof).encode()).digest() + hashlib.sha256(jcs(unsecured).encode()).digest()
    try:
        nacl.signing.VerifyKey(key_of(proof["verificationMethod"], did_doc)).verify(data, b58decode(value[1:]))
        return True
    except nacl.exceptions.BadSignatureError:
        return False


def status_bit(list_credential, index):
    enc = list_credential["credentialSubject"]["encodedList"]
    assert enc[0] == "u"
    bits = gzip.decompress(base64.urlsafe_b64decode(enc[1:] + "=" * (-len(enc[1:]) % 4)))
    assert len(bits) * 8 >= 131072  # the smallest list the specification allows
    return (bits[index // 8] >> (7 - index % 8)) & 1
