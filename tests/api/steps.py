"""Request bodies more than one suite builds: times as the API takes them, and a decision."""

import uuid
from datetime import datetime, timedelta, timezone


def iso(dt):
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def now():
    return datetime.now(timezone.utc)


def decision_body(sanctions=None, number=None):
    """A violation decided under Decree 38/2021, with notice given, published; by default one
    livestream restriction for 30 days."""
    if sanctions is None:
        sanctions = [{"type": "appearance_restriction", "scopes": ["livestream"], "end": iso(now() + timedelta(days=30))}]
    return {"number": number or f"{uuid.uuid4().hex[:6]}/QĐ-XPHC", "authority": "Cục PTTH&TTĐT",
            "signer": {"name": "Lê Văn A", "title": "Cục trưởng"}, "issued_at": iso(now() - timedelta(seconds=5)),
            "outcome": "violation",
            "legal_bases": [{"instrument": "Nghị định 38/2021/NĐ-CP", "article": "Điều 51", "clause": "Khoản 3"}],
            "ground": "law", "category": "false_advertising", "facts": "Quảng cáo sai công dụng.",
            "detection_source": "platform", "notice": {"sent_at": iso(now() - timedelta(seconds=4)), "channel": "văn bản"},
            "publish": True, "sanctions": sanctions}
