"""The aggregated OpenAPI: every real service's document merged under the gateway's prefixes,
and the merge rules (renames, references, operationIds, tags, security) on synthetic clashes."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from jsonschema_rs import ValidationError
from pydantic import BaseModel, create_model
from schemathesis.core.result import Err

from fountainai.cli.registry import SERVICES
from fountainai.gateway.config import GatewaySettings
from fountainai.gateway.defaults import default_routes
from fountainai.gateway.openapi import HTTP_METHODS, aggregate, routable_in

GATEWAY_PATHS: dict[str, Any] = {
    "/health/services": {
        "get": {
            "operationId": "getServicesHealth",
            "summary": "Every upstream's health",
            "responses": {"200": {"description": "Each service's state"}},
        }
    }
}


@pytest.fixture(scope="module")
def service_specs() -> dict[str, dict[str, Any]]:
    return {name: entry.create_app().openapi() for name, entry in SERVICES.items()}


@pytest.fixture(scope="module")
def merged(service_specs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    routable = routable_in(default_routes(GatewaySettings()))
    return aggregate(
        service_specs,
        title="FountainAI",
        version="0.1.0",
        server_url="https://api.example.test",
        gateway_paths=GATEWAY_PATHS,
        routable=routable,
    )


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, item[method])
        for path, item in document["paths"].items()
        for method in HTTP_METHODS
        if method in item
    ]


def resolve(document: dict[str, Any], ref: str) -> Any:
    """The JSON pointer ``ref`` (``#/...``) inside ``document``; KeyError if it dangles."""
    assert ref.startswith("#/"), ref
    node: Any = document
    for segment in ref[2:].split("/"):
        node = node[segment.replace("~1", "/").replace("~0", "~")]
    return node


def references(node: Any) -> list[str]:
    """Every pointer in the tree: ``$ref``s, discriminator mappings, security requirements."""
    found: list[str] = []
    if isinstance(node, list):
        for item in node:
            found += references(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.append(value)
            elif key == "security" and isinstance(value, list):
                found += [f"#/components/securitySchemes/{name}" for req in value for name in req]
            elif key == "discriminator":
                mapped = value.get("mapping", {}).values()
                found += [m if m.startswith("#") else f"#/components/schemas/{m}" for m in mapped]
            else:
                found += references(value)
    return found


def assert_valid_openapi_31(document: dict[str, Any]) -> None:
    """The OpenAPI 3.1 meta-schema accepts it and every operation loads with its refs resolved."""
    schema = schemathesis.openapi.from_dict(document)
    schema.validate()
    results = list(schema.get_all_operations())
    errors = [result.err() for result in results if isinstance(result, Err)]
    assert errors == []
    assert len(results) == len(operations(document))


def test_every_routed_service_path_is_under_its_prefix(
    service_specs: dict[str, dict[str, Any]], merged: dict[str, Any]
) -> None:
    routable = routable_in(default_routes(GatewaySettings()))
    expected: set[tuple[str, str]] = {(path, "get") for path in GATEWAY_PATHS}
    for service, spec in service_specs.items():
        for path, item in spec["paths"].items():
            if path == "/metrics" or path.startswith("/health/"):
                continue
            for method in HTTP_METHODS:
                if method in item and routable(service, method.upper(), path):
                    expected.add((f"/{service}{path}", method))
    assert {(path, method) for path, method, _ in operations(merged)} == expected
    assert "/scripts/api/v1/scripts" in merged["paths"]
    assert "/kms/.well-known/jwks.json" in merged["paths"]
    assert merged["servers"] == [{"url": "https://api.example.test"}]


def test_internal_and_denied_paths_are_left_out(merged: dict[str, Any]) -> None:
    paths = set(merged["paths"])
    for service in SERVICES:
        assert f"/{service}/metrics" not in paths
        assert not [path for path in paths if path.startswith(f"/{service}/health")]
    assert not [path for path in paths if "/api/v1/internal/" in path]
    assert "/kms/api/v1/keys/introspect" not in paths  # denied at the edge
    assert "/health/services" in paths  # the gateway's own


def test_every_reference_resolves_and_every_component_is_used(merged: dict[str, Any]) -> None:
    refs = references(merged)
    assert refs
    for ref in refs:
        resolve(merged, ref)
    reached = set(references(merged["paths"]))
    pending = list(reached)
    while pending:
        for ref in references(resolve(merged, pending.pop())):
            if ref not in reached:
                reached.add(ref)
                pending.append(ref)
    declared = {
        f"#/components/{section}/{name}"
        for section, entries in merged["components"].items()
        for name in entries
    }
    assert declared == reached


def test_operation_ids_are_unique_and_kept(
    service_specs: dict[str, dict[str, Any]], merged: dict[str, Any]
) -> None:
    ids = [operation["operationId"] for _, _, operation in operations(merged)]
    assert len(ids) == len(set(ids))
    by_path = {(path, method): op for path, method, op in operations(merged)}
    for service, spec in service_specs.items():
        for path, item in spec["paths"].items():
            for method in HTTP_METHODS:
                merged_op = by_path.get((f"/{service}{path}", method))
                if merged_op is not None:  # no clash between the real services
                    assert merged_op["operationId"] == item[method]["operationId"]


def test_tags_group_operations_by_service(merged: dict[str, Any]) -> None:
    declared = [tag["name"] for tag in merged["tags"]]
    assert len(declared) == len(set(declared))
    for path, _, operation in operations(merged):
        service = path.split("/")[1]
        owner = "gateway" if path in GATEWAY_PATHS else service
        assert all(tag.startswith(f"{owner}: ") or tag == owner for tag in operation["tags"])
        assert set(operation["tags"]) <= set(declared)
    groups = {group["name"]: group["tags"] for group in merged["x-tagGroups"]}
    assert "kms: accounts" in groups["FountainAI Key Management"]
    assert sorted(tag for tags in groups.values() for tag in tags) == sorted(declared)


def test_security_stays_correct(
    service_specs: dict[str, dict[str, Any]], merged: dict[str, Any]
) -> None:
    schemes = merged["components"]["securitySchemes"]
    assert schemes == service_specs["scripts"]["components"]["securitySchemes"]
    create = merged["paths"]["/scripts/api/v1/scripts"]["post"]
    assert create["security"] == [{"bearerAuth": []}, {"apiKeyAuth": []}]
    assert "security" not in merged["paths"]["/kms/api/v1/login"]["post"]  # public


def test_the_merged_document_is_valid_openapi_31(merged: dict[str, Any]) -> None:
    assert merged["openapi"] == "3.1.0"
    assert_valid_openapi_31(merged)
    broken = {**merged, "paths": {"no-leading-slash": {}}}
    with pytest.raises(ValidationError):
        schemathesis.openapi.from_dict(broken).validate()


def test_the_real_scene_heading_clash_is_renamed(merged: dict[str, Any]) -> None:
    schemas = merged["components"]["schemas"]
    assert "SceneHeading" in schemas  # the Scripts service's (the earlier one)
    assert "StorySceneHeading" in schemas
    assert schemas["SceneHeading"] != schemas["StorySceneHeading"]
    assert "Problem" in schemas
    assert not [name for name in schemas if name.endswith("Problem") and name != "Problem"]


def thing_app(title: str, thing: type[BaseModel]) -> FastAPI:
    """A small service whose ``Box`` reads the same in every app but holds that app's ``Thing``."""

    class Shared(BaseModel):
        note: str

    box = create_model("Box", thing=(thing, ...), shared=(Shared, ...))
    app = FastAPI(title=title, version="1", openapi_tags=[{"name": "things", "description": "T"}])

    @app.get(
        "/api/v1/things/{thingId}", response_model=box, operation_id="getThing", tags=["things"]
    )
    def get_thing(thingId: int) -> Any:  # noqa: N803 (the API's camelCase)
        raise NotImplementedError  # never called: only the document is under test

    @app.get("/api/v1/shared", response_model=Shared, operation_id=f"get{title}Shared")
    def get_shared() -> Any:
        raise NotImplementedError

    @app.get("/metrics", operation_id="getMetrics")
    def get_metrics() -> str:
        return ""

    @app.get("/health/live", operation_id="getLiveness")
    def get_liveness() -> str:
        return ""

    return app


def alpha_thing() -> type[BaseModel]:
    class Thing(BaseModel):
        name: str

    return Thing


def beta_thing() -> type[BaseModel]:
    class Thing(BaseModel):
        size: int

    return Thing


def test_a_clash_is_renamed_and_its_references_follow() -> None:
    specs = {
        "alpha": thing_app("Alpha", alpha_thing()).openapi(),
        "beta": thing_app("Beta", beta_thing()).openapi(),
    }
    assert (
        specs["alpha"]["components"]["schemas"]["Box"]
        == (specs["beta"]["components"]["schemas"]["Box"])
    )
    merged = aggregate(specs, title="T", version="1")
    schemas = merged["components"]["schemas"]
    assert set(schemas["Thing"]["properties"]) == {"name"}
    assert set(schemas["BetaThing"]["properties"]) == {"size"}
    # Box reads the same in both, but holds a different Thing: it is renamed too.
    assert schemas["Box"]["properties"]["thing"]["$ref"] == "#/components/schemas/Thing"
    assert schemas["BetaBox"]["properties"]["thing"]["$ref"] == "#/components/schemas/BetaThing"
    assert schemas["BetaBox"]["properties"]["shared"]["$ref"] == "#/components/schemas/Shared"
    assert "BetaShared" not in schemas
    assert "AlphaThing" not in schemas
    assert "BetaHTTPValidationError" not in schemas  # FastAPI's own, identical in both

    def answer_ref(path: str) -> str:
        ok = merged["paths"][path]["get"]["responses"]["200"]
        return str(ok["content"]["application/json"]["schema"]["$ref"])

    assert answer_ref("/alpha/api/v1/things/{thingId}") == "#/components/schemas/Box"
    assert answer_ref("/beta/api/v1/things/{thingId}") == "#/components/schemas/BetaBox"
    ids = {path: op["operationId"] for path, _, op in operations(merged)}
    assert ids["/alpha/api/v1/things/{thingId}"] == "alphaGetThing"
    assert ids["/beta/api/v1/things/{thingId}"] == "betaGetThing"
    assert ids["/alpha/api/v1/shared"] == "getAlphaShared"  # unique: unchanged
    assert set(merged["paths"]) == {
        "/alpha/api/v1/things/{thingId}",
        "/alpha/api/v1/shared",
        "/beta/api/v1/things/{thingId}",
        "/beta/api/v1/shared",
    }
    assert {"alpha: things", "beta: things", "alpha", "beta"} == {t["name"] for t in merged["tags"]}
    for ref in references(merged):
        resolve(merged, ref)
    assert_valid_openapi_31(merged)


def spec(paths: dict[str, Any], **components: dict[str, Any]) -> dict[str, Any]:
    info = {"title": "S", "version": "1"}
    return {"openapi": "3.1.0", "info": info, "paths": paths, "components": components}


def get(schema_ref: str, **operation: Any) -> dict[str, Any]:
    content = {"application/json": {"schema": {"$ref": schema_ref}}}
    return {"get": {"responses": {"200": {"description": "ok", "content": content}}, **operation}}


def test_the_definition_most_services_share_keeps_the_name() -> None:
    thing_1, thing_2 = {"type": "string"}, {"type": "integer"}
    specs = {
        name: spec({"/t": get("#/components/schemas/Thing")}, schemas={"Thing": thing})
        for name, thing in (("alpha", thing_1), ("beta", thing_2), ("gamma", thing_2))
    }
    merged = aggregate(specs, title="T", version="1")
    assert merged["components"]["schemas"] == {"Thing": thing_2, "AlphaThing": thing_1}
    schema_of = {path: references(item)[0] for path, item in merged["paths"].items()}
    assert schema_of == {
        "/alpha/t": "#/components/schemas/AlphaThing",
        "/beta/t": "#/components/schemas/Thing",
        "/gamma/t": "#/components/schemas/Thing",
    }


def test_security_schemes_discriminators_and_path_refs_are_rewritten() -> None:
    mapping = {"cat": "#/components/schemas/Cat", "kitty": "Cat"}
    pet = {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}],
        "discriminator": {"propertyName": "kind", "mapping": mapping},
    }
    cat_a = {"type": "object", "properties": {"kind": {"const": "cat"}}}
    cat_b = {**cat_a, "required": ["kind"]}
    bearer = {"type": "http", "scheme": "bearer"}
    alpha = spec(
        {"/pets": get("#/components/schemas/Pet")},
        schemas={"Pet": pet, "Cat": cat_a},
        securitySchemes={"auth": bearer},
    )
    beta = spec(
        {
            "/pets": get("#/components/schemas/Pet", security=[{"auth": ["read"]}]),
            "/same": {"$ref": "#/paths/~1pets"},
        },
        schemas={"Pet": pet, "Cat": cat_b},
        securitySchemes={"auth": {"type": "apiKey", "in": "header", "name": "K"}},
    )
    specs = {"alpha": {**alpha, "security": [{"auth": []}]}, "beta": beta}
    merged = aggregate(specs, title="T", version="1")
    components = merged["components"]
    assert components["securitySchemes"]["auth"] == bearer
    assert components["securitySchemes"]["BetaAuth"]["type"] == "apiKey"
    # alpha's document-wide security moves onto its operations
    assert merged["paths"]["/alpha/pets"]["get"]["security"] == [{"auth": []}]
    assert merged["paths"]["/beta/pets"]["get"]["security"] == [{"BetaAuth": ["read"]}]
    assert components["schemas"]["BetaPet"]["discriminator"]["mapping"] == {
        "cat": "#/components/schemas/BetaCat",
        "kitty": "BetaCat",
    }
    assert components["schemas"]["BetaPet"]["oneOf"] == [{"$ref": "#/components/schemas/BetaCat"}]
    assert components["schemas"]["Pet"] == pet
    assert merged["paths"]["/beta/same"] == {"$ref": "#/paths/~1beta~1pets"}
    assert resolve(merged, "#/paths/~1beta~1pets") is merged["paths"]["/beta/pets"]
    assert specs["beta"]["components"]["schemas"]["Pet"] == pet  # the inputs are not changed


def test_a_gateway_path_under_a_service_prefix_is_refused() -> None:
    specs = {"alpha": spec({"/x": get("#/components/schemas/X")}, schemas={"X": {}})}
    with pytest.raises(ValueError, match="served twice"):
        aggregate(specs, title="T", version="1", gateway_paths={"/alpha/x": {"get": {}}})
