"""The one cattrs converter that turns API JSON into the attrs models.

``make_converter()`` builds a fresh converter; hooks for scalar types are registered before
any class hook, as cattrs recommends. The lenient default ignores unknown keys (the API adds
fields without notice); ``strict=True`` forbids them so tests notice drift.

Real responses are messier than the docs: numbers arrive as strings (``"52.5"``),
integers as floats (``96.0``), timestamps with ``Z`` or ``+01:00``. The scalar hooks accept
exactly those spellings and refuse anything that would silently change a value, such as a
fractional number where whole cents are expected, or ``"false"`` becoming ``True``.

Records are decoded 100,000s at a time, so the hooks keep the common case cheap: optional
scalars return values that already have the right type without another call, and lists and
links are built in one pass. A ``null`` list decodes as empty, and a model is only ever built
from a JSON object: an array or string where an object belongs is an error, never a model
with every field ``None``.
"""

from __future__ import annotations

import hashlib
import linecache
import types
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import IterableValidationError, IterableValidationNote

from betterplace_async.models.common import Links

__all__ = ["make_converter"]


def _structure_datetime(value: Any, _: type) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        parsed = datetime.fromisoformat(value)
    else:
        raise TypeError(f"expected an ISO 8601 string, got {type(value).__name__}")
    # The docs promise a zone; a missing one is read as UTC so every value stays aware.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _structure_int(value: Any, _: type) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
    raise TypeError(f"expected a whole number, got {value!r}")


def _structure_float(value: Any, _: type) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        return float(value.strip())
    raise TypeError(f"expected a number, got {value!r}")


def _structure_bool(value: Any, _: type) -> bool:
    if isinstance(value, bool):
        return value
    if value in (0, 1) and not isinstance(value, float):
        return bool(value)
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    raise TypeError(f"expected a boolean, got {value!r}")


def _structure_str(value: Any, _: type) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"expected a string, got {type(value).__name__}")


def _slot_setters(cl: Any) -> list[Callable[[Any, Any], None]] | None:
    """Return each init field's slot setter when ``__init__`` would only assign them.

    That holds for slotted attrs classes without validators, converters, init hooks or
    hidden slots (such as a cached hash): filling the slots directly then builds the same
    instance for less. Otherwise ``None``: call the class.
    """
    if not attrs.has(cl) or "__slots__" not in cl.__dict__ or cl.__new__ is not object.__new__:
        return None
    if any(hasattr(cl, hook) for hook in ("__attrs_pre_init__", "__attrs_post_init__")):
        return None
    fields = attrs.fields(cl)
    slots = {s for k in cl.__mro__ for s in k.__dict__.get("__slots__", ())}
    if slots - {f.name for f in fields} - {"__weakref__"}:
        return None
    setters = []
    for field in fields:
        if not field.init or field.validator is not None or field.converter is not None:
            return None
        descriptor = next(
            (k.__dict__[field.name] for k in cl.__mro__ if field.name in k.__dict__), None
        )
        if not isinstance(descriptor, types.MemberDescriptorType):
            return None
        setters.append(descriptor.__set__)
    return setters


_NO_LINKS = Links(())


def _structure_links(value: Any, _: type) -> Links:
    if value is None:
        return _NO_LINKS
    if value.__class__ is not list:
        raise TypeError(f"expected a list of links, got {type(value).__name__}")
    triples = []
    for item in value:
        if item.__class__ is not dict:
            raise TypeError(f"expected a link object, got {type(item).__name__}")
        rel = item["rel"]
        href = item["href"]
        templated = item.get("templated")
        triples.append(
            (
                rel if rel.__class__ is str else _structure_str(rel, str),
                href if href.__class__ is str else _structure_str(href, str),
                templated is True or (templated is not None and _structure_bool(templated, bool)),
            )
        )
    return Links.from_triples(tuple(triples))


def _unstructure_links(links: Links) -> list[dict[str, Any]]:
    return [
        {"rel": link.rel, "href": link.href, **({"templated": True} if link.templated else {})}
        for link in links
    ]


Hook = Callable[[Any, Any], Any]

# Scalar hooks whose target type can be recognised by ``value.__class__ is target``.
_EXACT_SCALAR_HOOKS: dict[type, Hook] = {
    str: _structure_str,
    int: _structure_int,
    float: _structure_float,
    bool: _structure_bool,
}


def _is_optional(type_: Any) -> bool:
    args = get_args(type_)
    return get_origin(type_) in (Union, types.UnionType) and len(args) == 2 and type(None) in args


def _is_homogeneous_tuple(type_: Any) -> bool:
    args = get_args(type_)
    return get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


def _hook_for(converter: cattrs.Converter, type_: Any) -> Hook:
    try:
        return converter.get_structure_hook(type_)
    except RecursionError:  # a model that contains itself: look the hook up late
        return converter.structure


def _optional_factory(converter: cattrs.Converter) -> Callable[[Any], Hook]:
    def factory(type_: Any) -> Hook:
        inner = next(arg for arg in get_args(type_) if arg is not type(None))
        hook = _hook_for(converter, inner)
        if _EXACT_SCALAR_HOOKS.get(inner) is hook:

            def structure_optional_scalar(value: Any, _: Any) -> Any:
                if value is None or value.__class__ is inner:
                    return value
                return hook(value, inner)

            return structure_optional_scalar

        def structure_optional(value: Any, _: Any) -> Any:
            return None if value is None else hook(value, inner)

        return structure_optional

    return factory


def _tuple_factory(converter: cattrs.Converter) -> Callable[[Any], Hook]:
    def factory(type_: Any) -> Hook:
        element = get_args(type_)[0]
        hook = _hook_for(converter, element)
        if converter.detailed_validation:

            def structure_tuple_detailed(value: Any, _: Any) -> tuple[Any, ...]:
                if value is None:
                    return ()
                if not isinstance(value, list | tuple):
                    raise TypeError(f"expected a list, got {type(value).__name__}")
                return _structure_each_noting_index(value, hook, element, type_)

            return structure_tuple_detailed

        def structure_tuple(value: Any, _: Any) -> tuple[Any, ...]:
            if isinstance(value, list | tuple):
                return tuple([hook(item, element) for item in value])
            if value is None:
                return ()
            raise TypeError(f"expected a list, got {type(value).__name__}")

        return structure_tuple

    return factory


def _structure_each_noting_index(
    items: list[Any] | tuple[Any, ...], hook: Hook, element: Any, type_: Any
) -> tuple[Any, ...]:
    """Structure every item; collect each failure with a note naming its index.

    The notes are the ones cattrs' own list hooks attach, so ``cattrs.transform_error``
    turns them into paths such as ``$.data[1].donated_amount_in_cents``.
    """
    result, errors = [], []
    for index, item in enumerate(items):
        try:
            result.append(hook(item, element))
        except Exception as exc:
            note = IterableValidationNote(f"Structuring {type_} @ index {index}", index, element)
            exc.__notes__ = [*getattr(exc, "__notes__", []), note]
            errors.append(exc)
    if errors:
        raise IterableValidationError(f"While structuring {type_!r}", errors, type_)
    return tuple(result)


_MISSING: Any = object()
_FACTORY: type[Any] = type(attrs.Factory(list))
_NEW = object.__new__


def _field_code(
    converter: cattrs.Converter, index: int, field: attrs.Attribute[Any], scope: dict[str, Any]
) -> list[str] | None:
    """Return the lines that read and convert one field into ``v<index>``, or ``None``."""
    optional = _is_optional(field.type)
    inner: Any = (
        next(a for a in get_args(field.type) if a is not type(None)) if optional else field.type
    )
    hook = _hook_for(converter, inner)
    v, key = f"v{index}", repr(field.name)
    scope[f"h{index}"], scope[f"t{index}"] = hook, inner
    checks = [f"{v} is not None"] if optional else []
    if _EXACT_SCALAR_HOOKS.get(inner) is hook:
        checks.append(f"{v}.__class__ is not t{index}")  # right type already: no call
    convert = f"{v} = h{index}({v}, t{index})"
    default = field.default
    if default is attrs.NOTHING:
        read, missing = f"{v} = o[{key}]", None
    elif optional and default is None:
        read, missing = f"{v} = g({key})", None
    elif not isinstance(default, _FACTORY) and _none_gives(hook, inner, default):
        read, missing, checks = f"{v} = g({key})", None, []  # e.g. null links: no links
    elif isinstance(default, _FACTORY):
        if default.takes_self:
            return None
        scope[f"d{index}"] = default.factory
        read, missing = f"{v} = g({key}, MISSING)", f"d{index}()"
    else:
        scope[f"d{index}"] = default
        read, missing = f"{v} = g({key}, MISSING)", f"d{index}"
    guard = " and ".join(checks)
    if missing is not None:
        return [
            f"    {read}",
            f"    if {v} is MISSING:",
            f"        {v} = {missing}",
            f"    elif {guard or 'True'}:",
            f"        {convert}",
        ]
    if guard:
        return [f"    {read}", f"    if {guard}:", f"        {convert}"]
    return [f"    {read}", f"    {convert}"]


def _fast_model_hook(converter: cattrs.Converter, cl: Any) -> Hook | None:
    """Generate one flat structure function for a plain attrs class, or ``None``.

    It does what cattrs' generated function and the field hooks do, with less calling: an
    optional scalar that already has its type costs one class check, ``None`` skips the
    hook, and the instance's slots are filled directly (see :func:`_slot_setters`; else
    ``__init__`` gets positional arguments instead of a keyword dict). A missing key gives
    the field's default. Generic classes, ``init=False`` fields and factories that take
    ``self`` are left to cattrs.
    """
    if get_origin(cl) is not None or getattr(cl, "__parameters__", None):
        return None
    attrs.resolve_types(cl)
    name = f"structure_{cl.__name__}"
    lines = [
        f"def {name}(o, _=None):",
        "    if o.__class__ is not dict and not isinstance(o, dict):",
        "        raise TypeError(f'expected a JSON object, got {type(o).__name__}')",
        "    g = o.get",
    ]
    scope: dict[str, Any] = {"__cl": cl, "MISSING": _MISSING}
    arguments: list[str] = []
    for index, field in enumerate(attrs.fields(cl)):
        code = _field_code(converter, index, field, scope) if field.init else None
        if code is None:
            return None
        lines += code
        arguments.append(f"{field.alias}=v{index}" if field.kw_only else f"v{index}")
    setters = _slot_setters(cl)
    if setters is None:
        lines.append(f"    return __cl({', '.join(arguments)})")
    else:
        scope["__new"] = _NEW
        lines.append("    x = __new(__cl)")
        for index, setter in enumerate(setters):
            scope[f"s{index}"] = setter
            lines.append(f"    s{index}(x, v{index})")
        lines.append("    return x")
    source = "\n".join(lines) + "\n"
    filename = _register_source(f"{cl.__module__}.{cl.__qualname__}", source)
    exec(compile(source, filename, "exec"), scope)
    hook: Hook = scope[name]
    return hook


def _register_source(name: str, source: str) -> str:
    """Put generated ``source`` into ``linecache`` so tracebacks show its lines.

    The file name carries a digest of the source: the same class generates the same code
    for every converter, so the cache holds one entry per distinct source, not per client.
    """
    digest = hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()[:12]
    filename = f"<betterplace_async structure {name} {digest}>"
    # mtime None: linecache.checkcache() keeps the entry (there is no file to compare with).
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    return filename


def _none_gives(hook: Hook, type_: Any, default: Any) -> bool:
    """Tell whether ``hook(None)`` equals ``default`` (null links or lists: empty)."""
    try:
        return bool(hook(None, type_) == default)
    except Exception:
        return False


def _model_factory(converter: cattrs.Converter) -> Callable[[Any], Hook]:
    def factory(cl: Any) -> Hook:
        if not converter.detailed_validation and not converter.forbid_extra_keys:
            fast = _fast_model_hook(converter, cl)
            if fast is not None:
                return fast
        # Resolve the class's string annotations here: cattrs 24 tries to resolve
        # them on the generic alias (``Page[Tag]``), which fails.
        attrs.resolve_types(get_origin(cl) or cl)
        build = converter.gen_structure_attrs_fromdict(cl)

        def structure_model(value: Any, _: Any) -> Any:
            if not isinstance(value, dict):
                raise TypeError(f"expected a JSON object, got {type(value).__name__}")
            return build(value, cl)

        return structure_model

    return factory


def configure_converter(converter: cattrs.Converter) -> None:
    """Register the scalar, link, optional, list and model hooks on ``converter``."""
    converter.register_structure_hook(datetime, _structure_datetime)
    converter.register_unstructure_hook(datetime, lambda dt: dt.isoformat())
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(Links, _structure_links)
    converter.register_unstructure_hook(Links, _unstructure_links)
    converter.register_structure_hook_factory(_is_optional, _optional_factory(converter))
    converter.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_factory(converter))
    converter.register_structure_hook_factory(attrs.has, _model_factory(converter))


def make_converter(*, strict: bool = False) -> cattrs.Converter:
    """Build a converter for the SDK's models.

    ``strict=True`` refuses unknown keys and reports every problem with its path; use it in
    tests. The default ignores unknown keys and is faster.
    """
    converter = cattrs.Converter(forbid_extra_keys=strict, detailed_validation=strict)
    configure_converter(converter)
    return converter
