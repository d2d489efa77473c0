"""The `questions.json` contract: one typed definition of a question record.

The build validates what it writes against it (hooks/questions.py), publishes the JSON Schema
generated from it as `questions.schema.json` beside `questions.json`, and the tests and the README
take the field list from it. A field the front end reads that is missing here, a field written
that is not declared here, or a declared field left out all fail the build.
"""

from __future__ import annotations

import json
from typing import Annotated

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from kb import labels

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class QuestionRecord(TypedDict):
    """One question of the bank, as listed in questions.json."""

    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]

    id: Annotated[str, Field(pattern=ID_PATTERN, description="Stable ID: the URL anchor and the key of cross-links; never renamed.")]
    title: Annotated[str, Field(min_length=1, description="The question as plain text (inline math as readable text, no HTML, no TeX source).")]
    url: Annotated[str, Field(pattern=r"^[^#]+#", description="Link to the question, relative to the site root: page URL, '#', ID.")]
    topic: Annotated[str, Field(min_length=1, description="Title of the topic page the question is on.")]
    topic_id: Annotated[str, Field(min_length=1, description="Stable key of the topic page (its file name without .md); the quiz and home page group by it.")]
    level: Annotated[str, Field(description="Difficulty level.")]  # one of labels.yml's levels: schema() and validate() add that
    hot: Annotated[bool, Field(description="True when the question is asked often (高频).")]
    tags: Annotated[list[str], Field(min_length=1, description="Tags, in the author's order.")]
    summary: Annotated[str, Field(min_length=1, description="The 速答 as plain text.")]


RECORDS: TypeAdapter[list[QuestionRecord]] = TypeAdapter(list[QuestionRecord])


def fields() -> list[str]:
    """The field names of a record, in order."""
    return list(QuestionRecord.__annotations__)


def schema() -> dict[str, object]:
    out = RECORDS.json_schema()
    out["$defs"]["QuestionRecord"]["properties"]["level"]["enum"] = list(labels.current().level_names)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "questions.json",
        "description": "Every question of the bank; written by the build, read by the quiz, the home page and tools.",
        **out,
    }


def schema_json() -> str:
    return json.dumps(schema(), ensure_ascii=False, indent=2) + "\n"


def validate(records: list[dict[str, object]]) -> list[str]:
    """Problems with records, one readable line each (empty when they follow the contract)."""
    try:
        RECORDS.validate_python(records, strict=True)
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            loc = err["loc"]
            where = f"question {records[loc[0]].get('id', loc[0])!r}" if loc and isinstance(loc[0], int) and loc[0] < len(records) else "questions.json"
            field = ".".join(str(p) for p in loc[1:]) or "(record)"
            out.append(f"{where}: {field}: {err['msg']}")
        return out
    levels = labels.current().level_names
    return [
        f"question {r.get('id')!r}: level: Input should be {', '.join(repr(lv) for lv in levels)}"
        for r in records if r.get("level") not in levels
    ]
