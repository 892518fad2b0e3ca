"""The naming rules of the aggregated OpenAPI: which components and operationIds take a
service-prefixed name, and the rewriting of every reference in a service's tree to match."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Mapping
from typing import Any

import orjson

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

ComponentKey = tuple[str, str]  # (section, name), e.g. ("schemas", "Problem")


class Rewriter:
    """Copies a JSON tree, renaming what one source's references point at: ``$ref`` and
    ``operationRef`` pointers (``#/paths/...`` move under ``prefix``), discriminator mappings,
    security requirements and operationIds. Records what the tree refers to (``referenced``)."""

    def __init__(
        self,
        components: Mapping[ComponentKey, str],
        operation_ids: Mapping[str, str],
        prefix: str,
    ) -> None:
        self.components = components
        self.operation_ids = operation_ids
        self.prefix = prefix
        self.referenced: set[ComponentKey] = set()

    def node(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.node(item) for item in value]
        if not isinstance(value, dict):
            return value
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in ("$ref", "operationRef") and isinstance(item, str):
                out[key] = self.pointer(item)
            elif key == "operationId" and isinstance(item, str):
                out[key] = self.operation_ids.get(item, item)
            elif key == "security" and isinstance(item, list):
                out[key] = [self.requirement(req) for req in item]
            elif key == "discriminator" and isinstance(item, dict):
                out[key] = self.discriminator(item)
            else:
                out[key] = self.node(item)
        return out

    def pointer(self, ref: str) -> str:
        parts = ref.split("/", 4)  # "#", "components", section, name[, rest]
        if ref.startswith("#/components/") and len(parts) >= 4:
            key = (parts[2], _unescape(parts[3]))
            self.referenced.add(key)
            if key in self.components:
                parts[3] = _escape(self.components[key])
            return "/".join(parts)
        if ref.startswith("#/paths/") and len(parts) >= 3:
            parts = ref.split("/", 3)
            parts[2] = _escape(self.prefix + _unescape(parts[2]))
            return "/".join(parts)
        return ref

    def requirement(self, requirement: Any) -> Any:
        """A security requirement names its schemes (keys), not by ``$ref``."""
        if not isinstance(requirement, dict):
            return self.node(requirement)
        renamed: dict[str, Any] = {}
        for scheme, scopes in requirement.items():
            key = ("securitySchemes", scheme)
            self.referenced.add(key)
            renamed[self.components.get(key, scheme)] = copy.deepcopy(scopes)
        return renamed

    def discriminator(self, discriminator: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {
            key: self.node(value) for key, value in discriminator.items() if key != "mapping"
        }
        mapping = discriminator.get("mapping")
        if isinstance(mapping, dict):
            out["mapping"] = {value: self.mapped(target) for value, target in mapping.items()}
        return out

    def mapped(self, target: Any) -> Any:
        """A mapping value is a reference, or a bare schema name."""
        if not isinstance(target, str):
            return target
        if target.startswith("#") or "/" in target:
            return self.pointer(target)
        key = ("schemas", target)
        self.referenced.add(key)
        return self.components.get(key, target)


def references(tree: Any) -> set[ComponentKey]:
    """Every component that ``tree`` refers to directly."""
    recorder = Rewriter({}, {}, "")
    recorder.node(tree)
    return recorder.referenced


def operations(paths: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The operation objects of ``paths``, in document order."""
    return [
        item[method]
        for item in paths.values()
        for method in HTTP_METHODS
        if isinstance(item.get(method), dict)
    ]


def operation_id_renames(used: Mapping[str, set[str]]) -> dict[str, dict[str, str]]:
    """Per source (``used``: source -> its operationIds), ``<source><OperationId>`` for every
    operationId that more than one source uses."""
    owners = Counter(operation_id for ids in used.values() for operation_id in ids)
    return {
        source: {
            operation_id: camel(source) + upper_first(operation_id)
            for operation_id in ids
            if owners[operation_id] > 1
        }
        for source, ids in used.items()
    }


def number_duplicate_operation_ids(paths: Mapping[str, Any]) -> None:
    """Number any operationId still taken (a service that repeats one, or a renamed one that
    meets another's name): better a ``2`` suffix than a document tools reject."""
    seen: set[str] = set()
    for operation in operations(paths):
        operation_id = operation.get("operationId")
        if not isinstance(operation_id, str):
            continue
        candidate, number = operation_id, 1
        while candidate in seen:
            number += 1
            candidate = f"{operation_id}{number}"
        operation["operationId"] = candidate
        seen.add(candidate)


def component_renames(
    components: Mapping[str, Mapping[ComponentKey, Any]],
    *,
    operation_ids: Mapping[str, Mapping[str, str]],
    prefixes: Mapping[str, str],
) -> dict[str, dict[ComponentKey, str]]:
    """Per source (``components``: source -> its components, in source order), the components
    that take a ``<Source><Name>`` name: for each name defined differently, every definition but
    the one most sources share (ties: the earliest source).

    Two definitions are the same when they are equal once each source's own renames are applied
    to its references, so renaming one component can split another that refers to it; repeat
    until nothing more needs a new name.
    """
    renames: dict[str, dict[ComponentKey, str]] = {source: {} for source in components}
    taken = {key for defined in components.values() for key in defined}
    while True:
        variants: dict[ComponentKey, dict[bytes, list[str]]] = {}
        for source, defined in components.items():
            rewriter = Rewriter(renames[source], operation_ids[source], prefixes[source])
            for key, definition in defined.items():
                if key in renames[source]:
                    continue
                form = orjson.dumps(rewriter.node(definition), option=orjson.OPT_SORT_KEYS)
                variants.setdefault(key, {}).setdefault(form, []).append(source)
        changed = False
        for (section, name), by_form in variants.items():
            keepers = max(by_form.values(), key=len)  # the first of equals: the earlier source
            for owners in by_form.values():
                if owners is keepers:
                    continue
                for owner in owners:
                    wanted = pascal(owner) + upper_first(name)
                    renames[owner][(section, name)] = _fresh_name(section, wanted, taken)
                    changed = True
        if not changed:
            return renames


def _fresh_name(section: str, wanted: str, taken: set[ComponentKey]) -> str:
    name, number = wanted, 1
    while (section, name) in taken:
        number += 1
        name = f"{wanted}{number}"
    taken.add((section, name))
    return name


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def _unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def pascal(name: str) -> str:
    """``story-factory`` -> ``StoryFactory``."""
    return "".join(upper_first(part) for part in name.replace("_", "-").split("-"))


def camel(name: str) -> str:
    """``story-factory`` -> ``storyFactory``."""
    name = pascal(name)
    return name[:1].lower() + name[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]
