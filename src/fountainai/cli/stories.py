"""``fountain import``, ``fountain export``, ``fountain story``: whole screenplays in and out of
the Story Factory, over HTTP with the caller's own credential."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from pathlib import Path
from typing import Annotated, Final

import orjson
import typer

from fountainai.cli import output, story_output
from fountainai.cli.screenplay_view import ScreenplayView
from fountainai.cli.story_access import (
    CommandFailed,
    PasswordOption,
    StoryAccess,
    TokenOption,
    UrlOption,
    UsernameOption,
    fail,
    fails_every_call,
    failure_message,
    outcome_known,
    run_story_call,
)
from fountainai.cli.story_output import ImportOutcome
from fountainai.core import API_PREFIX, AppError
from fountainai.core.clients import ImportReport, StoryClient, StoryFormat
from fountainai.fountain import ScreenplayError
from fountainai.fountain.jsonformat import from_data

POLL_SECONDS: Final = 0.3
_BY_SUFFIX: Final = {
    ".fountain": StoryFormat.FOUNTAIN,
    ".spmd": StoryFormat.FOUNTAIN,
    ".fdx": StoryFormat.FDX,
    ".json": StoryFormat.JSON,
}

FormatOption = Annotated[
    StoryFormat | None,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="The files' format (default: each file's own, from its name and content).",
        show_default=False,
    ),
]
ExportFormatOption = Annotated[
    StoryFormat | None,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="The file's format (default: from the --output file's suffix, else fountain).",
        show_default=False,
    ),
]
ScriptIdArg = Annotated[int, typer.Argument(min=1, help="The script's id.")]


def import_story(
    files: Annotated[
        list[Path],
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            metavar="FILE",
            help="One or more .fountain, .fdx or .json files, imported one after the other.",
            show_default=False,
        ),
    ],
    file_format: FormatOption = None,
    comment: Annotated[str, typer.Option(help="Why: kept in the version history.")] = "",
    url: UrlOption = None,
    token: TokenOption = None,
    username: UsernameOption = None,
    password: PasswordOption = None,
) -> None:
    """Import Fountain, FDX or JSON screenplays, each as a new script, with a progress bar.

    All or nothing per file: a failed import leaves no partial script. Each summary counts what
    was created, by element type, and lists what the platform had to change (with line
    numbers). Several files: each is tried in turn, a table sums them up at the end, and the
    command fails (exit 1) if any of them did.
    """
    access = StoryAccess.resolve(url=url, token=token, username=username, password=password)
    if len(files) == 1:
        report, seconds = run_story_call(
            access,
            lambda client, credentials: _import_file(
                client, files[0], file_format=file_format, comment=comment, credentials=credentials
            ),
        )
        story_output.import_summary(report, seconds=seconds, read_url=_read_url(access, report))
        return
    outcomes = run_story_call(
        access,
        lambda client, credentials: _import_each(
            client,
            access,
            files,
            file_format=file_format,
            comment=comment,
            credentials=credentials,
        ),
    )
    story_output.imports_table(outcomes)
    if any(outcome.report is None for outcome in outcomes):
        story_output.import_failures(outcomes)
        raise typer.Exit(1)


async def _import_each(
    client: StoryClient,
    access: StoryAccess,
    files: list[Path],
    *,
    file_format: StoryFormat | None,
    comment: str,
    credentials: dict[str, str],
) -> list[ImportOutcome]:
    """Every file in turn, each failure told and the next file tried, unless the failure is
    one every other file would meet too (the service is gone, the credential refused)."""
    outcomes: list[ImportOutcome] = []
    for index, file in enumerate(files):
        if index:
            output.info("")
        started = time.monotonic()
        try:
            report, seconds = await _import_file(
                client, file, file_format=file_format, comment=comment, credentials=credentials
            )
        except (CommandFailed, AppError) as exc:
            message = str(exc)
            if isinstance(exc, AppError):
                message = failure_message(exc, url=access.url)
            output.error(f"{file}: {message}")
            outcomes.append(ImportOutcome(file, time.monotonic() - started, error=message))
            if isinstance(exc, AppError) and fails_every_call(exc):
                outcomes.extend(ImportOutcome(rest) for rest in files[index + 1 :])
                break
            continue
        story_output.import_summary(report, seconds=seconds, read_url=_read_url(access, report))
        outcomes.append(ImportOutcome(file, seconds, report))
    return outcomes


async def _import_file(
    client: StoryClient,
    file: Path,
    *,
    file_format: StoryFormat | None,
    comment: str,
    credentials: dict[str, str],
) -> tuple[ImportReport, float]:
    """One file imported, and the seconds it took."""
    started = time.monotonic()
    try:
        data = await asyncio.to_thread(file.read_bytes)
    except OSError as exc:
        raise CommandFailed(f"cannot read {file}: {exc.strerror or exc}") from None
    report = await _import_with_progress(
        client,
        data,
        filename=file.name,
        file_format=file_format,
        comment=comment,
        credentials=credentials,
    )
    return report, time.monotonic() - started


def _read_url(access: StoryAccess, report: ImportReport) -> str:
    return f"{access.url}{API_PREFIX}/stories?scriptId={report.script_id}"


async def _import_with_progress(
    client: StoryClient,
    data: bytes,
    *,
    filename: str,
    file_format: StoryFormat | None,
    comment: str,
    credentials: dict[str, str],
) -> ImportReport:
    """The import, under an id chosen here, its report polled for the bar while it runs."""
    import_id = uuid.uuid4().hex
    posting = asyncio.create_task(
        client.import_story(
            data,
            filename=filename,
            format=file_format,
            import_id=import_id,
            comment=comment,
            credentials=credentials,
        )
    )
    with story_output.import_progress(f"Importing {filename}") as progress:
        while not (await asyncio.wait({posting}, timeout=POLL_SECONDS))[0]:
            with contextlib.suppress(AppError):  # not started yet, or a poll that failed
                progress.update(await client.get_import(import_id, credentials=credentials))
    try:
        return posting.result()
    except AppError as exc:
        if outcome_known(exc):
            raise
        # The answer did not say what became of the import (a 5xx body is not kept): ask.
        report = await _ledger_entry(client, import_id, credentials)
        if report is None:
            raise
        message = failure_message(exc, url=client.http.base_url)
        raise CommandFailed(
            f"{message} (importId {report.import_id}, importStatus {report.status})"
        ) from exc


async def _ledger_entry(
    client: StoryClient, import_id: str, credentials: dict[str, str]
) -> ImportReport | None:
    with contextlib.suppress(AppError):
        return await client.get_import(import_id, credentials=credentials)
    return None


def export_story(
    script_id: ScriptIdArg,
    file_format: ExportFormatOption = None,
    output_file: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            dir_okay=False,
            help="Write the file here instead of to standard output.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the --output file if it exists.")
    ] = False,
    url: UrlOption = None,
    token: TokenOption = None,
    username: UsernameOption = None,
    password: PasswordOption = None,
) -> None:
    """Export a script as a Fountain, FDX or JSON file (it imports back to the same story)."""
    chosen = file_format or _format_of(output_file) or StoryFormat.FOUNTAIN
    if output_file is not None and output_file.exists() and not force:
        fail(f"{output_file} exists; pass --force to overwrite it.")
    access = StoryAccess.resolve(url=url, token=token, username=username, password=password)
    data = run_story_call(
        access,
        lambda client, credentials: client.export(
            script_id, format=chosen, credentials=credentials
        ),
    )
    if output_file is None:
        story_output.file_bytes(data)
        return
    try:
        with output_file.open("wb" if force else "xb") as target:
            target.write(data)
    except FileExistsError:
        fail(f"{output_file} exists; pass --force to overwrite it.")
    except OSError as exc:
        fail(f"cannot write {output_file}: {exc.strerror or exc}")
    output.success(
        f"Exported script {script_id} as {chosen.value} to {output_file} ({len(data):,} bytes)."
    )


def _format_of(path: Path | None) -> StoryFormat | None:
    return None if path is None else _BY_SUFFIX.get(path.suffix.lower())


def show_story(
    script_id: ScriptIdArg,
    url: UrlOption = None,
    token: TokenOption = None,
    username: UsernameOption = None,
    password: PasswordOption = None,
) -> None:
    """Show a script formatted as a screenplay, in the terminal."""
    access = StoryAccess.resolve(url=url, token=token, username=username, password=password)
    data = run_story_call(
        access,
        lambda client, credentials: client.export(
            script_id, format=StoryFormat.JSON, credentials=credentials
        ),
    )
    try:
        screenplay = from_data(orjson.loads(data))
    except (orjson.JSONDecodeError, ScreenplayError) as exc:
        fail(f"the Story Factory's JSON export of script {script_id} could not be read: {exc}")
    story_output.screenplay(ScreenplayView(screenplay))
