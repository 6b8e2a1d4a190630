"""Hostile model and project files, generated: every one loads or is refused with a WorkbenchError in words.

Random bytes, real bundles cut short or with bytes changed, safetensors files whose metadata holds random JSON
(deep, huge numbers, wrong types), projects with random edits: `kinds.load_model`, `kinds.kind_of_file` and
`project.open_project` must either succeed or raise a WorkbenchError with a message, never another exception,
and never unpickle anything. The runs are deterministic (derandomize) and take a few seconds.
"""

import contextlib
import json
import pickle
import shutil
import struct
import tempfile
from pathlib import Path
from unittest import mock

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safetensors import safe_open
from safetensors.torch import save_file

from tests.fixtures import SAVED_BUNDLES
from workbench.core.errors import WorkbenchError
from workbench.core.export.kinds import kind_of_file, load_model
from workbench.core.project import KINDS, Project, open_project, save_project

FAST = settings(max_examples=80, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
KIND_NAMES = sorted(SAVED_BUNDLES)


def contents(kind):
    with safe_open(str(SAVED_BUNDLES[kind]), framework="pt") as handle:
        return {name: handle.get_tensor(name) for name in handle.keys()}, dict(handle.metadata())


BASES = {kind: contents(kind) for kind in KIND_NAMES}
FOLDER = Path(tempfile.mkdtemp(prefix="hostile-"))

# Values JSON can hold, with the awkward ones made likely: huge and negative numbers, NaN, lone surrogates, NUL
# characters, paths that climb, names too long for a file system.
scalars = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-(10**40), max_value=10**40)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12)
           | st.sampled_from(["", "\udc80", "utf-8\x00", "a/../b", "x" * 5000, "lstm", "char", "word", "forecaster",
                              "\u2047"]))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
# JSON texts that json.dumps never writes but a file can hold.
raw_texts = st.sampled_from([
    "[" * 50_000 + "]" * 50_000, "{" * 3000, '{"a": ' + "9" * 5000 + "}", "1e999999", "NaN", "-Infinity",
    '"\\ud800"', "{not json", "", "\x00", '{"columns": [' + ", ".join(['"c"'] * 1000) + "]}",
])


def refuse(*args, **kwargs):
    raise AssertionError("something tried to unpickle a file")


class RefusingUnpickler(pickle.Unpickler):
    load = refuse


@contextlib.contextmanager
def never_unpickled():
    """Fail the example if anything tries to unpickle (safetensors never should)."""
    with mock.patch("pickle.load", refuse), mock.patch("pickle.loads", refuse), \
            mock.patch("pickle.Unpickler", RefusingUnpickler), mock.patch("torch.load", refuse):
        yield


def load_or_refuse(path):
    """Both readers of a model file: each loads or raises a WorkbenchError with a message."""
    with never_unpickled():
        for read in (kind_of_file, load_model):
            try:
                read(path)
            except WorkbenchError as error:
                assert error.message.strip(), f"{read.__name__} refused {path.name} without words"


def paths_of(value, prefix=()):
    """Every path (tuple of keys and indexes) into a JSON value, the value itself first."""
    yield prefix
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield from paths_of(item, (*prefix, key))


@st.composite
def edited_json(draw, base):
    """`base` (a parsed JSON value) with one to three places replaced by a random value or removed."""
    value = json.loads(json.dumps(base))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(paths_of(value))))
        new = draw(json_values)
        if not path:
            value = new
            continue
        parent = value
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = new
    return value


@st.composite
def edited_bundles(draw):
    """A real bundle's tensors with its metadata edited: a JSON part changed, replaced by raw text, or a header
    entry (format, kind) changed; sometimes a tensor dropped or reshaped."""
    kind = draw(st.sampled_from(KIND_NAMES))
    tensors, metadata = dict(BASES[kind][0]), dict(BASES[kind][1])
    key = draw(st.sampled_from(sorted(metadata)))
    how = draw(st.sampled_from(["edit", "raw", "random"]))
    try:
        parsed = json.loads(metadata[key])
    except ValueError:
        parsed = metadata[key]
    if how == "edit":
        metadata[key] = json.dumps(draw(edited_json(parsed)))
    elif how == "raw":
        metadata[key] = draw(raw_texts)
    else:
        metadata[key] = draw(st.text(max_size=20)).encode("utf-8", "replace").decode("utf-8")
    if draw(st.integers(0, 4)) == 0:
        name = draw(st.sampled_from(sorted(tensors)))
        if draw(st.booleans()):
            del tensors[name]
        else:
            tensors[name] = torch.zeros(draw(st.lists(st.integers(0, 5), max_size=3)),
                                        dtype=draw(st.sampled_from([torch.float32, torch.int64, torch.uint8])))
    return tensors, metadata


def header_file(header: dict, body: bytes) -> bytes:
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + body


tensor_entries = st.fixed_dictionaries({
    "dtype": st.sampled_from(["F32", "F16", "BF16", "F64", "I64", "U8", "BOOL", "F8_E4M3", "C64", "XX"]),
    "shape": st.lists(st.integers(-1, 4), max_size=3),
    "data_offsets": st.lists(st.integers(-1, 64), min_size=2, max_size=2),
})


@st.composite
def forged_headers(draw):
    """safetensors files written by hand: random tensor entries and a metadata map of random JSON texts."""
    kind = draw(st.sampled_from(KIND_NAMES))
    metadata = dict(BASES[kind][1])
    for key in draw(st.lists(st.sampled_from(sorted(metadata)), max_size=3)):
        metadata[key] = json.dumps(draw(json_values))
    header = {"__metadata__": metadata}
    for i in range(draw(st.integers(0, 3))):
        header[f"t{i}"] = draw(tensor_entries)
    return header_file(header, draw(st.binary(max_size=64)))


@FAST
@given(data=st.binary(max_size=300))
def test_random_bytes_are_refused(data):
    path = FOLDER / "random.swb"
    path.write_bytes(data)
    load_or_refuse(path)


@FAST
@given(kind=st.sampled_from(KIND_NAMES), cut=st.floats(0, 1), flips=st.lists(st.tuples(st.floats(0, 1),
                                                                                         st.integers(0, 255)),
                                                                               max_size=4))
def test_bundles_cut_short_or_with_bytes_changed(kind, cut, flips):
    data = bytearray(SAVED_BUNDLES[kind].read_bytes())
    for where, byte in flips:
        data[int(where * (len(data) - 1))] = byte
    path = FOLDER / "damaged.swb"
    path.write_bytes(bytes(data[: max(1, int(cut * len(data)))] if cut < 1 else data))
    load_or_refuse(path)


@FAST
@given(bundle=edited_bundles())
def test_bundles_with_edited_metadata(bundle):
    tensors, metadata = bundle
    path = FOLDER / "edited.swb"
    save_file(tensors, str(path), metadata=metadata)
    load_or_refuse(path)


@FAST
@given(data=forged_headers())
def test_forged_safetensors_headers(data):
    path = FOLDER / "forged.swb"
    path.write_bytes(data)
    load_or_refuse(path)


@pytest.fixture(scope="module")
def saved_project(tmp_path_factory):
    """A text project with its language model beside it, and the project's parsed JSON."""
    folder = tmp_path_factory.mktemp("project")
    text = folder / "log.txt"
    text.write_text("Wind from the north. " * 40, encoding="utf-8")
    path = folder / "study.swproj"
    bundle = load_model(SAVED_BUNDLES["language_model"])
    save_project(path, Project(str(text), config=KINDS["text"](), kind="text"), bundle)
    return path, json.loads(path.read_text(encoding="utf-8"))


def open_or_refuse(path):
    with never_unpickled():
        try:
            open_project(path)
        except WorkbenchError as error:
            assert error.message.strip(), f"open_project refused {path.name} without words"


@FAST
@given(data=st.data())
def test_projects_with_edited_entries(saved_project, data):
    path, base = saved_project
    edited = path.with_name("edited.swproj")
    # The model file beside it keeps its name, so edits that leave "model" alone still load it.
    shutil.copy(path.with_suffix(".swb"), edited.with_suffix(".swb"))
    edited.write_text(json.dumps(data.draw(edited_json(base))), encoding="utf-8")
    open_or_refuse(edited)


@FAST
@given(content=st.binary(max_size=300) | raw_texts.map(str.encode) | json_values.map(lambda v: json.dumps(v).encode()))
def test_projects_made_of_random_bytes_or_json(content):
    path = FOLDER / "random.swproj"
    path.write_bytes(content)
    open_or_refuse(path)
