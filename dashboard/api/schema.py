"""Postprocessing of the OpenAPI schema, so a generated client parses what the API really does:
every operation declares our error body on 400/401/403/404, and request bodies are JSON only (the
parsers also take forms and multipart, which clients generated from the schema should not send)."""

METHODS = ("get", "post", "put", "patch", "delete")
ERROR_LIST = {"$ref": "#/components/schemas/ErrorList"}
ERRORS = {
    "400": "Refused: each error names its field (null when about the whole request).",
    "401": "Not authenticated: send a session cookie or `Authorization: Token <key>`.",
    "403": "Authenticated, but this role may not do this.",
    "404": "No such object, or not one this role may see.",
}


def declare_errors_and_json_bodies(result: dict, generator, request, public) -> dict:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    _ensure_error_components(schemas)
    for item in result.get("paths", {}).values():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody")
            if body and "application/json" in body["content"]:
                if _uploads(body["content"].get("multipart/form-data"), schemas):
                    _json_only_upload(operation, body, schemas)
                body["content"] = {"application/json": body["content"]["application/json"]}
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                declared = responses.setdefault(code, {"description": description})
                declared["content"] = {"application/json": {"schema": ERROR_LIST}}
    return result


def _json_only_upload(operation: dict, body: dict, schemas: dict) -> None:
    """An upload's schema body: its JSON form (the file's content inline); the multipart file
    upload is still accepted, and said so in words (generated clients mishandle one operation
    with two body types)."""
    name = body["content"]["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    schemas[name] = {
        **schemas[name],
        "properties": {
            key: value
            for key, value in schemas[name].get("properties", {}).items()
            if value.get("format") != "binary"
        },
    }
    operation["description"] = (
        operation.get("description", "")
        + "\n\nAlso accepts the same page as a file: multipart/form-data with a `file` part."
    ).strip()


def _uploads(content: dict | None, schemas: dict) -> bool:
    """Whether a multipart body carries a file (a binary property)."""
    if not content:
        return False
    schema = content.get("schema", {})
    ref = schema.get("$ref", "")
    if ref:
        schema = schemas.get(ref.rsplit("/", 1)[-1], {})
    return any(p.get("format") == "binary" for p in schema.get("properties", {}).values())


def _ensure_error_components(schemas: dict) -> None:
    schemas.setdefault(
        "Error",
        {
            "type": "object",
            "properties": {
                "field": {"type": "string", "nullable": True},
                "message": {"type": "string"},
            },
            "required": ["field", "message"],
        },
    )
    schemas.setdefault(
        "ErrorList",
        {
            "type": "object",
            "properties": {
                "errors": {"type": "array", "items": {"$ref": "#/components/schemas/Error"}}
            },
            "required": ["errors"],
        },
    )
