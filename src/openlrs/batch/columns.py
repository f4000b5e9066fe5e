"""The columns of each kind of batch file, shared by the CSV header and the XML element names.

Column names are the snake_case field names the API uses. Headers are matched by name, not by
position: `Given Name`, `given-name` and `GIVEN_NAME` all mean `given_name`.
"""

from __future__ import annotations

from enum import StrEnum


class BatchKind(StrEnum):
    REGISTRATION = "registration"
    VLD = "vld"
    ACHIEVEMENT = "achievement"
    DIPLOMA_RESULT = "diploma_result"
    CTF = "ctf"
    PARTICIPATION = "participation"


class BatchFormat(StrEnum):
    CSV = "csv"
    XML = "xml"


ULN = "uln"
VERSION = "version"
SOURCE_LEARNER_ID = "source_learner_id"

# The LRS web-service batch order, then openlrs additions (version for updates, UPN).
REGISTRATION_COLUMNS: tuple[str, ...] = (
    ULN,
    SOURCE_LEARNER_ID,
    "title",
    "given_name",
    "preferred_given_name",
    "middle_names",
    "family_name",
    "previous_family_name",
    "family_name_at_16",
    "school_at_16",
    "address_line_1",
    "address_line_2",
    "town",
    "county",
    "postcode",
    "date_of_address_capture",
    "date_of_birth",
    "place_of_birth",
    "email",
    "gender",
    "nationality",
    "scottish_candidate_number",
    "ability_to_share",
    "verification_type",
    "other_verification_description",
    "notes",
    VERSION,
    "upn",
)

VLD_COLUMNS: tuple[str, ...] = (
    ULN,
    SOURCE_LEARNER_ID,
    "given_name",
    "family_name",
    "date_of_birth",
    "gender",
)

ACHIEVEMENT_COLUMNS: tuple[str, ...] = (
    ULN,
    SOURCE_LEARNER_ID,
    "action",
    "event_id",
    "given_name",
    "family_name",
    "date_of_birth",
    "gender",
    "subject",
    "award_date",
    "grade",
    "credits",
)
"""Achievements (docs/batch-files.md): the learner details must verify against the ULN."""

DIPLOMA_RESULT_COLUMNS: tuple[str, ...] = (
    "account_id",
    "reference",
    "component",
    "qualification",
    "title",
    "level",
    "grade",
    "achieved_on",
    "points",
    "subject",
    "glh",
    "barring_code",
)
"""Diploma results (docs/batch-files.md): the fields of `SubmitDiplomaResult`; CSV only."""

CTF_COLUMNS: tuple[str, ...] = (
    ULN,
    SOURCE_LEARNER_ID,
    "upn",
    "given_name",
    "preferred_given_name",
    "middle_names",
    "family_name",
    "previous_family_name",
    "date_of_birth",
    "sex",
    "postcode",
)
"""What openlrs keeps of each pupil of a Common Transfer File (batch/ctf_format.py): the cells
of a `ctf` batch row, in the error file's order. The source learner id is the pupil's UPN."""

PARTICIPATION_COLUMNS: tuple[str, ...] = (
    ULN,
    SOURCE_LEARNER_ID,
    "given_name",
    "family_name",
    "date_of_birth",
    "gender",
    "learning_aim",
    "start_date",
    "end_date",
    "title",
)
"""Participation (docs/batch-files.md): enrolments on learning aims; the learner details must
verify against the ULN, as for `record_participation`. CSV only (no XML schema yet)."""

COLUMNS: dict[BatchKind, tuple[str, ...]] = {
    BatchKind.REGISTRATION: REGISTRATION_COLUMNS,
    BatchKind.VLD: VLD_COLUMNS,
    BatchKind.ACHIEVEMENT: ACHIEVEMENT_COLUMNS,
    BatchKind.DIPLOMA_RESULT: DIPLOMA_RESULT_COLUMNS,
    BatchKind.CTF: CTF_COLUMNS,
    BatchKind.PARTICIPATION: PARTICIPATION_COLUMNS,
}

REQUIRED_COLUMNS: dict[BatchKind, frozenset[str]] = {
    BatchKind.REGISTRATION: frozenset(
        {"given_name", "family_name", "date_of_birth", "gender", "postcode"}
    ),
    BatchKind.VLD: frozenset({ULN, "given_name", "family_name"}),
    BatchKind.ACHIEVEMENT: frozenset({ULN, "given_name", "family_name", "subject", "award_date"}),
    BatchKind.DIPLOMA_RESULT: frozenset(
        {"account_id", "reference", "component", "qualification", "title", "level", "grade"}
        | {"achieved_on"}
    ),
    BatchKind.CTF: frozenset(),
    BatchKind.PARTICIPATION: frozenset(
        {ULN, "given_name", "family_name", "learning_aim", "start_date"}
    ),
}

ROOT_ELEMENTS: dict[BatchKind, str] = {
    BatchKind.REGISTRATION: "registration_batch",
    BatchKind.VLD: "vld_batch",
    BatchKind.ACHIEVEMENT: "achievement_batch",
}
ROW_ELEMENT = "learner"


def column_name(header: str) -> str:
    """The canonical name for a header cell: trimmed, lower case, spaces and hyphens as `_`."""
    return "_".join(header.strip().lower().replace("-", " ").split())


def kind_from_columns(names: list[str]) -> BatchKind:
    """Diploma results when there is an account_id column; participation when there is a
    learning_aim column; achievements when there is a subject column; VLD when there is a ULN column and every column is a VLD column; else registration."""
    if "account_id" in names:
        return BatchKind.DIPLOMA_RESULT
    if "learning_aim" in names:
        return BatchKind.PARTICIPATION
    if "subject" in names:
        return BatchKind.ACHIEVEMENT
    vld = ULN in names and set(names) <= set(VLD_COLUMNS)
    return BatchKind.VLD if vld else BatchKind.REGISTRATION


def kind_from_root(tag: str) -> BatchKind | None:
    for kind, root in ROOT_ELEMENTS.items():
        if tag == root:
            return kind
    return None
