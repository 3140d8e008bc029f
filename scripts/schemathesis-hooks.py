"""Schemathesis hooks for Neutron (loaded through SCHEMATHESIS_HOOKS by scripts/fuzz and OpenApiFuzzIT).

POST /api/v1/chat/import takes NDJSON, which schemathesis cannot serialise by itself: a generated value goes out as
one JSON document per line (a string as it is, so that broken lines are tried too).
"""
import json

import schemathesis


@schemathesis.serializer("application/x-ndjson", "application/jsonl")
def ndjson(ctx, value):
    if isinstance(value, (bytes, bytearray)):
        return {"data": bytes(value)}
    if isinstance(value, str):
        return {"data": value.encode("utf-8")}
    if isinstance(value, list):
        return {"data": "".join(json.dumps(item) + "\n" for item in value).encode("utf-8")}
    return {"data": (json.dumps(value) + "\n").encode("utf-8")}
