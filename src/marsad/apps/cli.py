"""`marsad`: the command line, a thin shell over `marsad.api` and the store.

    marsad analyze INPUT... --out DIR [--db PATH] [--strict] [--workers N] [--engine local|ray] [SELECTION]
    marsad report --out DIR [--db PATH] [SELECTION]
                                  the report of what the store knows, without new inputs;
                                  SELECTION: --since YYYY-MM-DD, --story ID, --outlet NAME
    marsad ingest INPUT... [--db PATH] [--strict] [--workers N] [--engine local|ray]
    marsad stats [--db PATH] [--json]
    marsad export [documents|events] [--db PATH] [--format jsonl|csv] [--out FILE]
                                                  stored documents, or PLOVER-style event records
    marsad config show [--json]
    marsad validate REPORT.json

Exit codes: 0 success, 1 a marsad error (one line on stderr), 2 usage, 3 an internal error (a
bug: rerun with --debug for the traceback), 130 interrupted. Progress bars appear only when
stderr is a terminal and --quiet is not given, so pipes and logs stay clean.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from marsad import __version__
from marsad.errors import ConfigError, MarsadError

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Defined on the top parser and again on every subcommand, so they work before or after the
    # command name; SUPPRESS on subcommands keeps a later default from erasing an earlier value.
    default: Any = argparse.SUPPRESS if not top else None
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS if not top else False,
                        help="show the traceback of an error")  # fmt: skip
    parser.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS if not top else False,
                        help="no progress bar and no summary line")  # fmt: skip
    parser.add_argument("--config", metavar="FILE", default=default, help="a TOML configuration file")
    parser.add_argument("--set", metavar="KEY=VALUE", action="append", dest="overrides",
                        default=argparse.SUPPRESS if not top else [],
                        help="override one configuration key, e.g. --set store.batch_size=500 (repeatable)")  # fmt: skip


def _selection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("selection", "report only some of the store's documents (default: all)")
    group.add_argument("--since", metavar="YYYY-MM-DD", help="documents published on or after this day")
    group.add_argument("--story", metavar="ID", help="the documents of one story")
    group.add_argument("--outlet", metavar="NAME", help="the documents of one outlet")


def _engine_options(parser: argparse.ArgumentParser) -> None:
    # Shorthands for --set run.workers=N / --set run.engine=ray (default_config.toml documents both).
    parser.add_argument("--workers", metavar="N", help="processes for the per-document map; 0 = all CPUs")
    parser.add_argument("--engine", choices=("local", "ray"), help="where the map runs (ray: docs/ray.md)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="marsad", description="Read Arabic news natively.")
    parser.add_argument("--version", action="version", version=f"marsad {__version__}")
    _global_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        _global_options(p, top=False)
        return p

    p = command("analyze", "ingest, analyse and write DIR/report.json")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders or globs; - for stdin")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder for report.json")
    p.add_argument("--db", metavar="PATH", help="SQLite store (default: DIR/marsad.db)")
    p.add_argument(
        "--strict", action="store_true", help="stop at the first bad input instead of recording it"
    )
    _engine_options(p)

    _selection_options(p)

    p = command("report", "write DIR/report.json and the site for what the store knows, without new inputs")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder for report.json")
    p.add_argument("--db", metavar="PATH", help="SQLite store (default: store.path in the configuration)")
    _selection_options(p)

    p = command("ingest", "read, clean, segment and store inputs without extraction")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders or globs; - for stdin")
    p.add_argument("--db", metavar="PATH", help="SQLite store (default: store.path in the configuration)")
    p.add_argument(
        "--strict", action="store_true", help="stop at the first bad input instead of recording it"
    )
    _engine_options(p)

    p = command("stats", "counts of inputs and documents in a store")
    p.add_argument("--db", metavar="PATH", help="SQLite store (default: store.path in the configuration)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = command("export", "stored documents (marsad.article/1 JSONL) or PLOVER-style event records")
    p.add_argument(
        "what", nargs="?", choices=("documents", "events"), default="documents",
        help="documents (default): one article per line; events: one record per report of an event",
    )  # fmt: skip
    p.add_argument("--db", metavar="PATH", help="SQLite store (default: store.path in the configuration)")
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="events only: jsonl or csv")
    p.add_argument("--out", metavar="FILE", help="write here instead of stdout")

    p = command("config", "configuration")
    config_sub = p.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    show = config_sub.add_parser("show", help="print the resolved configuration")
    _global_options(show, top=False)
    show.add_argument("--json", action="store_true", help="print JSON instead of TOML")

    p = command("validate", "check a report.json against the schema and its offsets")
    p.add_argument("report", metavar="REPORT.json")
    return parser


def _overrides(pairs: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set expects KEY=VALUE such as store.batch_size=500, got {pair!r}")
        out[key.strip()] = value
    return out


def _config(args: argparse.Namespace) -> dict[str, Any]:
    from marsad.config import load_config

    overrides = _overrides(args.overrides)
    for key in ("workers", "engine"):
        if getattr(args, key, None) is not None:
            overrides[f"run.{key}"] = getattr(args, key)
    return load_config(args.config, overrides)


def _db(args: argparse.Namespace, config: dict[str, Any]) -> str:
    return args.db if args.db is not None else config["store"]["path"]


def _open_existing(args: argparse.Namespace, config: dict[str, Any]) -> Any:
    """Reading commands must not create an empty database by accident."""
    from marsad.errors import StoreError
    from marsad.store import open_store

    path = _db(args, config)
    if not Path(path).is_file():
        raise StoreError(
            f"no marsad database at {path}; run `marsad ingest` or `marsad analyze` first, or pass --db"
        )
    return open_store(path, config)


def _progress(args: argparse.Namespace) -> bool:
    return not args.quiet and sys.stderr.isatty()


def _summary_line(counts: dict[str, int]) -> str:
    return (
        f"{counts['inputs']} inputs: {counts['stored']} stored, {counts['duplicates']} duplicates, "
        f"{counts['filtered']} filtered, {counts['quarantined']} quarantined"
    )


def _cmd_analyze(args: argparse.Namespace) -> int:
    from marsad.api import analyze

    report = analyze(args.inputs, out=args.out, db=args.db, config=_config(args), progress=_progress(args),
                     strict=args.strict, collect=False, since=args.since, story=args.story,
                     outlet=args.outlet)  # fmt: skip
    if not args.quiet:
        run = report["run"]
        print(f"{_summary_line(run)}; the store now holds {report['counts']['inputs']} inputs -> "
              f"{Path(args.out) / 'report.json'}")  # fmt: skip
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from marsad.api import report

    config = _config(args)
    args.db = _db(args, config)
    _open_existing(args, config).close()  # reading: never create an empty store by accident
    result = report(db=args.db, out=args.out, config=config, since=args.since, story=args.story,
                    outlet=args.outlet)  # fmt: skip
    if not args.quiet:
        print(f"{_summary_line(result['counts'])} -> {Path(args.out) / 'report.json'}")
    return EXIT_OK


def _cmd_ingest(args: argparse.Namespace) -> int:
    from marsad.api import ingest_inputs

    config = _config(args)
    result = ingest_inputs(
        args.inputs, db=args.db, config=config, progress=_progress(args), strict=args.strict
    )
    if not args.quiet:
        print(f"{_summary_line(result['counts'])} -> {_db(args, config)}")
    return EXIT_OK


def _table(rows: list[tuple[str, Any]], out: TextIO) -> None:
    width = max((len(k) for k, _ in rows), default=0)
    for key, value in rows:
        out.write(f"{key.ljust(width)}  {value}\n")


def _cmd_stats(args: argparse.Namespace) -> int:
    config = _config(args)
    store = _open_existing(args, config)
    try:
        counts: dict[str, Any] = dict(store.counts())
        # Languages of the stored documents (filtered inputs carry theirs too, counted apart), so
        # a user sees at a glance what the language filter kept and dropped.
        for status, field in (("stored", "languages"), ("filtered", "filtered_languages")):
            tally: dict[str, int] = {}
            for outcome in store.iter_outcomes(status=status):
                lang = outcome.language or "unknown"
                tally[lang] = tally.get(lang, 0) + 1
            counts[field] = dict(sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))
        counts["knowledge"] = store.knowledge_counts()
    finally:
        store.close()
    if args.json:
        print(json.dumps(counts, ensure_ascii=False, indent=1, sort_keys=True))
        return EXIT_OK
    rows: list[tuple[str, Any]] = []
    for key, value in counts.items():
        if isinstance(value, dict):
            rows.extend((f"{key}.{k}", v) for k, v in value.items())
        else:
            rows.append((key, value))
    _table(rows, sys.stdout)
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from marsad.events.export import event_records, write_events
    from marsad.model import article_to_json

    config = _config(args)
    if args.what == "documents" and args.format != "jsonl":
        raise ConfigError("documents are exported as JSONL only; --format csv is for `export events`")
    store = _open_existing(args, config)
    # newline="": the csv module writes its own line endings.
    out: TextIO = open(args.out, "w", encoding="utf-8", newline="") if args.out else sys.stdout  # noqa: SIM115
    try:
        if args.what == "events":
            write_events(event_records(store.iter_articles()), out, args.format)
        else:
            for article in store.iter_articles():
                out.write(article_to_json(article))
                out.write("\n")
    finally:
        store.close()
        if out is not sys.stdout:
            out.close()
    return EXIT_OK


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return '"" # null'
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid TOML basic string


def to_toml(config: dict[str, Any], prefix: str = "") -> str:
    """The resolved configuration as TOML: scalars first, then one [section] per table."""
    lines: list[str] = []
    scalars = {k: v for k, v in config.items() if not isinstance(v, dict)}
    tables = {k: v for k, v in config.items() if isinstance(v, dict)}
    if prefix and scalars:
        lines.append(f"[{prefix}]")
    lines.extend(f"{k} = {_toml_value(v)}" for k, v in scalars.items())
    for key, table in tables.items():
        if lines:
            lines.append("")
        lines.append(to_toml(table, f"{prefix}.{key}" if prefix else key).rstrip("\n"))
    return "\n".join(lines) + "\n"


def _cmd_config(args: argparse.Namespace) -> int:
    config = _config(args)
    if args.json:
        print(json.dumps(config, ensure_ascii=False, indent=1))
    else:
        sys.stdout.write(to_toml(config))
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from marsad.errors import SchemaError
    from marsad.report import check_report_offsets, validate_report

    try:
        with open(args.report, encoding="utf-8") as fh:
            report = json.load(fh)
    except FileNotFoundError:
        raise SchemaError(f"{args.report} does not exist") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise SchemaError(f"{args.report} is not a JSON file: {err}") from None
    validate_report(report)
    check_report_offsets(report)
    if not args.quiet:
        counts = report["counts"]
        print(
            f"{args.report}: valid marsad.report/1, {len(report['documents'])} documents, {_summary_line(counts)}"
        )
    return EXIT_OK


_COMMANDS = {
    "analyze": _cmd_analyze,
    "report": _cmd_report,
    "ingest": _cmd_ingest,
    "stats": _cmd_stats,
    "export": _cmd_export,
    "config": _cmd_config,
    "validate": _cmd_validate,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits with 2 on a usage error, as argparse does
    try:
        return _COMMANDS[args.command](args)
    except KeyboardInterrupt:
        if args.debug:
            raise
        print("marsad: interrupted; committed batches are kept, rerun to resume", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `marsad export | head`: the reader left; nothing is wrong. Point stdout at devnull so
        # the interpreter's final flush does not raise again.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except MarsadError as err:
        if args.debug:
            raise
        print(f"marsad: error: {err}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as err:
        if args.debug:
            raise
        message = str(err).splitlines()[0] if str(err) else ""
        print(f"marsad: internal error: {type(err).__name__}: {message} (run with --debug for the traceback)",
              file=sys.stderr)  # fmt: skip
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
