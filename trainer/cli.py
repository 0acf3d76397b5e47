"""``steelman``: opens the app, or runs headless work from a terminal.

No path here imports Qt except the one that opens the window, so every
subcommand works on a machine without a display.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A user-facing error: printed as one line on stderr, exit status 1."""


def _common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--db", metavar="URL", default=default, help="SQLAlchemy database URL (default: SQLite in the data folder; env STEELMAN_DATABASE_URL)")
    parser.add_argument("--data-dir", metavar="DIR", default=default, help="data folder (default: the platform's; env STEELMAN_DATA_DIR)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="steelman",
        description="Steelman, an offline trainer for debaters. Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"steelman {__version__}")
    _common(parser, suppress=False)
    parser.add_argument("--smoke", action="store_true", help="start, load the first pack and the matcher, score one response, print timings and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    _common(common, suppress=True)

    commands.add_parser("packs", parents=[common], help="list the installed packs")

    pack = commands.add_parser("pack", help="validate, show or build a content pack")
    pack_commands = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    validate = pack_commands.add_parser("validate", parents=[common], help="check a pack folder or .steelpack file; exit 1 on errors")
    validate.add_argument("path", type=Path)
    show = pack_commands.add_parser("show", parents=[common], help="print a pack (an installed id or a path)")
    show.add_argument("pack")
    show.add_argument("--json", action="store_true", help="the whole pack as one JSON document")
    install = pack_commands.add_parser("import", parents=[common], help="validate a pack and install it for this data folder")
    install.add_argument("path", type=Path)
    install.add_argument("--replace", action="store_true", help="replace an imported pack with the same id")
    build = pack_commands.add_parser("build", parents=[common], help="zip a pack folder into a .steelpack file")
    build.add_argument("folder", type=Path)
    build.add_argument("out", type=Path)

    pin_stdin = argparse.ArgumentParser(add_help=False)
    pin_stdin.add_argument("--pin-stdin", action="store_true", help="read PINs from standard input, one a line, instead of prompting")
    as_coach = argparse.ArgumentParser(add_help=False)
    as_coach.add_argument("--coach", metavar="NAME", help="act as this coach (asks for the coach's PIN): every student's work, PIN or not")

    profiles = commands.add_parser("profiles", parents=[common], help="list profiles, add one, or manage PINs")
    profile_commands = profiles.add_subparsers(dest="profiles_command", metavar="ACTION")
    add = profile_commands.add_parser("add", parents=[common, pin_stdin], help="add a profile")
    add.add_argument("name")
    add.add_argument("--coach", action="store_true", help="a coach profile (asks for its PIN, which is required)")
    set_pin = profile_commands.add_parser("set-pin", parents=[common, pin_stdin], help="set or change a profile's PIN (asks for the current one first)")
    set_pin.add_argument("name")
    clear_pin = profile_commands.add_parser("clear-pin", parents=[common, pin_stdin], help="remove a profile's PIN (asks for it)")
    clear_pin.add_argument("name")
    reset = profile_commands.add_parser("reset", parents=[common], help="forgotten PIN: delete the profile's attempts, drafts, disputes, settings and PIN (the name stays)")
    reset.add_argument("name")
    reset.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    reset_pin = profile_commands.add_parser(
        "reset-pin", parents=[common, pin_stdin, as_coach], help="a coach removes a student's forgotten PIN; the student's work stays"
    )
    reset_pin.add_argument("name")

    attempts = commands.add_parser("attempts", parents=[common, pin_stdin, as_coach], help="list submitted attempts")
    attempts.add_argument("--profile", metavar="NAME")
    attempts.add_argument("--json", action="store_true")

    export = commands.add_parser("export", parents=[common, pin_stdin, as_coach], help="export attempts to a JSON or CSV file")
    export.add_argument("--format", choices=["json", "csv"], required=True)
    export.add_argument("--profile", metavar="NAME")
    export.add_argument("out", type=Path)

    backups = commands.add_parser("backups", parents=[common], help="list the automatic database backups, or restore one")
    backup_commands = backups.add_subparsers(dest="backups_command", metavar="ACTION")
    restore = backup_commands.add_parser("restore", parents=[common], help="restore a backup (the current database is moved aside, never deleted)")
    restore.add_argument("name")

    score = commands.add_parser(
        "score", parents=[common], help="score a response against a claim's key points",
        description="Score a response against a claim's key points. --claim takes the claim's number as "
                    "`steelman pack show PACK` prints it (1 is the first claim) or the claim's id; "
                    "an id that is all digits is read as the id.",
    )
    score.add_argument("--pack", required=True, metavar="ID")
    score.add_argument("--claim", required=True, metavar="N|ID",
                       help="the claim: its number as `pack show` prints it, or its id")
    score.add_argument("--perspective", metavar="ID")
    score.add_argument("file", help="a text file with the response, or - for standard input")
    score.add_argument("--json", action="store_true")

    rescore = commands.add_parser("rescore", parents=[common], help="re-score stored attempts with the current matcher (old scores kept)")
    rescore.add_argument("--profile", metavar="NAME")

    # Coach commands: --coach is required (checked in the command, for a clear message).
    # The actions of `disputes` take --coach, --pin-stdin and --db on either side of
    # their name, so their copies of the options must not overwrite the parent's.
    coach = argparse.ArgumentParser(add_help=False)
    _coach_options(coach, suppress=False)
    coach_action = argparse.ArgumentParser(add_help=False)
    _coach_options(coach_action, suppress=True)

    overview = commands.add_parser("overview", parents=[common, coach], help="a coach's class overview: each student's figures and the most-missed key points")
    overview.add_argument("--pack", metavar="ID", help="only this pack's attempts (the grid then shows all its claims)")
    overview.add_argument("--since", metavar="YYYY-MM-DD", type=_day, help="attempts from this day on (local time)")
    overview.add_argument("--until", metavar="YYYY-MM-DD", type=_day, help="attempts up to and including this day (local time)")
    overview.add_argument("--grid", action="store_true", help="also print each student's best score per claim")

    disputes = commands.add_parser("disputes", parents=[common, coach], help="a coach lists the students' disputes (open ones by default), or accepts or rejects one")
    _dispute_filters(disputes, suppress=False)
    dispute_commands = disputes.add_subparsers(dest="disputes_command", metavar="ACTION")
    listing = dispute_commands.add_parser("list", parents=[common, coach_action], help="list disputes (the default action)")
    _dispute_filters(listing, suppress=True)
    accept = dispute_commands.add_parser("accept", parents=[common, coach_action], help="agree with the student: the key point gets a new verdict and the score follows")
    accept.add_argument("id", type=int, metavar="ID", help="the dispute's id (from: steelman disputes)")
    accept.add_argument("--verdict", choices=["covered", "partly", "missed"],
                        help="the key point's verdict (default: covered; for \"this is wrong\" on a point credited, missed)")
    accept.add_argument("--note", default="", metavar="TEXT", help="a note for the student")
    dispute_reject = dispute_commands.add_parser("reject", parents=[common, coach_action], help="keep the matcher's verdict and the score")
    dispute_reject.add_argument("id", type=int, metavar="ID", help="the dispute's id (from: steelman disputes)")
    dispute_reject.add_argument("--note", default="", metavar="TEXT", help="a note for the student: why the verdict stays")

    results = commands.add_parser("results", help="results files (.steelresults): take students' work from a laptop to the coach's database")
    results_commands = results.add_subparsers(dest="results_command", metavar="ACTION", required=True)
    results_export = results_commands.add_parser(
        "export", parents=[common, pin_stdin, as_coach],
        help="write one student's work (--profile) or every student's to a .steelresults file",
        description="Write one student's work (--profile NAME, after that student's PIN if it has one) or every student's "
                    "to a .steelresults file for the coach. Without --coach, students with a PIN are left out of "
                    "an export of everyone (and named on stderr).",
    )
    results_export.add_argument("--profile", metavar="NAME", help="only this student (asks for the student's PIN if it has one)")
    results_export.add_argument("out", type=Path, metavar="OUT",
                                help="the file to write (replaced if it exists); .steelresults is added to a name "
                                     "that does not end with it")
    results_import = results_commands.add_parser(
        "import", parents=[common, coach],
        help="a coach merges .steelresults files into this database, each attempt exactly once",
        description="A coach merges .steelresults files into this database: each file in one transaction, each attempt "
                    "once (importing a file again adds nothing). A refused file writes nothing; the others still go in. "
                    "Exit status 1 only when every file was refused.",
    )
    results_import.add_argument("files", type=Path, nargs="+", metavar="FILE", help="a .steelresults file")
    results_import.add_argument(
        "--on-conflict", choices=["merge", "separate"], metavar="merge|separate",
        help="when an incoming student's name is already taken here by another student: merge (the same student: "
             "their work joins the student here, and later files follow) or separate (a different student: "
             "added as \"NAME (2)\"). Applies to every taken name in these files; without it such a file is refused",
    )
    _review_parser(commands, common, pin_stdin, as_coach)
    return parser


def _review_parser(commands, common, pin_stdin, as_coach) -> None:  # noqa: ANN001 - argparse parts
    review = commands.add_parser("review", help="spaced review: a student's claims due again today, and the rating thresholds")
    review_commands = review.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    due = review_commands.add_parser("due", parents=[common, pin_stdin, as_coach], help="list a student's claims due for review today")
    due.add_argument("--profile", metavar="NAME", required=True, help="the student (asks for the student's PIN if it has one)")
    due.add_argument("--pack", metavar="ID", help="only this pack's claims")
    thresholds = review_commands.add_parser(
        "thresholds", parents=[common], help="show the scores that rate an answer Again, Hard, Good or Easy, or set them",
        description="Show the rating thresholds, or set them (whole percents; a score under --again is Again, under --hard "
                    "Hard, under --good Good, otherwise Easy). They rate answers from now on.",
    )
    for name in ("again", "hard", "good"):
        thresholds.add_argument(f"--{name}", type=int, metavar="N", help=f"the {name.capitalize()} threshold, 0 to 100")
    thresholds.add_argument("--defaults", action="store_true", help="back to the defaults")
    thresholds.add_argument("--coach", metavar="NAME",
                            help="where there is a coach, only a coach may change them: this coach (asks for the PIN)")
    thresholds.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input instead of prompting")
    rebuild = review_commands.add_parser(
        "rebuild", parents=[common, pin_stdin, as_coach], help="make the review schedule again from the submitted attempts",
    )
    rebuild.add_argument("--profile", metavar="NAME", help="only this student (without it: everyone, which needs --coach)")


def _coach_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    parser.add_argument("--coach", metavar="NAME", default=argparse.SUPPRESS if suppress else None,
                        help="the coach doing this (required; asks for the coach's PIN)")
    parser.add_argument("--pin-stdin", action="store_true", default=argparse.SUPPRESS if suppress else False,
                        help="read the PIN from standard input instead of prompting")


def _dispute_filters(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", default=argparse.SUPPRESS if suppress else False, help="every dispute, open or resolved")
    which.add_argument("--status", choices=["open", "accepted", "rejected"], default=argparse.SUPPRESS if suppress else None,
                       help="only disputes with this status (default: open)")


def _day(value: str):  # noqa: ANN202 - a date; imported lazily
    """An argparse type: a calendar day written YYYY-MM-DD."""
    import re
    from datetime import date

    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):  # not the other ISO forms fromisoformat takes
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-02") from None


def _locations(args: argparse.Namespace):  # noqa: ANN202 - imported lazily
    from .core.paths import resolve_locations

    return resolve_locations(data_dir=getattr(args, "data_dir", None), database_url=getattr(args, "db", None))


def _service(args: argparse.Namespace):  # noqa: ANN202 - imported lazily
    """Open the data as the app does (an unreadable database is moved aside, with
    a notice on stderr), without taking the app's lock: CLI commands are short
    transactions that may run while the app is open. No backup, no outbox flush."""
    from .core.recovery import open_service_with_recovery

    service, notices = open_service_with_recovery(_locations(args), backup=False, flush=False)
    for notice in notices:
        sys.stderr.write(f"steelman: {notice.message}\n")
    return service


def _read_pin(args: argparse.Namespace, prompt: str) -> str:
    if getattr(args, "pin_stdin", False):
        if getattr(args, "stdin_lines", None) is None:
            args.stdin_lines = sys.stdin.read().splitlines()
        if not args.stdin_lines:
            raise CliError("--pin-stdin: no PIN on standard input")
        return str(args.stdin_lines.pop(0))
    import getpass

    return getpass.getpass(prompt)


def _unlock_coach(service, args: argparse.Namespace) -> None:  # noqa: ANN001
    """With ``--coach NAME``: unlock that coach (its PIN is always asked)."""
    from .core.storage import ProfileLockedError

    name = getattr(args, "coach", None)
    if not name:
        return
    coach = service.profiles.by_name(name)
    if coach is None or not coach.is_coach:
        raise CliError(f"no coach profile named {name!r}")
    try:
        service.profiles.unlock(profile_id=coach.id, pin=_read_pin(args, f"PIN for the coach {coach.name}: "))
    except ProfileLockedError as exc:
        raise CliError(str(exc)) from None


def _unlock(service, args: argparse.Namespace, name: str | None) -> int | None:  # noqa: ANN001
    """The id of the profile ``name`` (None for all), unlocked with a PIN if it has
    one (or by ``--coach``, whose PIN unlocks every student)."""
    from .core.storage import ProfileLockedError

    _unlock_coach(service, args)
    profile_id = _profile_id(service, name)
    if profile_id is None:
        return None
    if not service.profiles.is_unlocked(profile_id=profile_id):
        try:
            service.profiles.unlock(profile_id=profile_id, pin=_read_pin(args, f"PIN for {name}: "))
        except ProfileLockedError as exc:
            raise CliError(str(exc)) from None
    return profile_id


def _note_locked(service) -> None:  # noqa: ANN001
    locked = service.profiles.locked()
    if locked:
        names = ", ".join(p.name for p in locked)
        sys.stderr.write(f"steelman: left out PIN-protected profile(s): {names} (use --profile NAME to enter the PIN, or --coach NAME)\n")


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def cmd_packs(args: argparse.Namespace) -> int:
    service = _service(args)
    try:
        entries = service.packs.entries()
        if not entries:
            _out("No packs installed.")
        for entry in entries:
            if entry.pack is not None:
                p = entry.pack
                _out(f"{p.id}\t{p.version}\t{len(p.claims)} claims\t{p.title}")
            else:
                _out(f"(broken)\t{entry.path}\t{len(entry.problems)} problem(s); run: steelman pack validate {entry.path}")
    finally:
        service.close()
    return EXIT_OK


def cmd_pack(args: argparse.Namespace) -> int:
    from .core.packs import PackValidationError, build_archive, validate_pack

    if args.pack_command == "validate":
        problems = validate_pack(args.path)
        if problems:
            for problem in problems:
                sys.stderr.write(f"{args.path}/{problem}\n" if args.path.is_dir() else f"{args.path}!{problem}\n")
            sys.stderr.write(f"{args.path}: {len(problems)} problem(s) found.\n")
            return EXIT_ERROR
        _out(f"{args.path}: valid")
        return EXIT_OK
    if args.pack_command == "import":
        service = _service(args)
        try:
            try:
                pack = service.packs.import_pack(args.path, replace=args.replace)
            except PackValidationError as exc:
                for problem in exc.problems:
                    sys.stderr.write(f"{args.path}: {problem}\n")
                raise CliError(f"{args.path} was not imported: {len(exc.problems)} problem(s)") from None
        finally:
            service.close()
        _out(f"imported {pack.id} {pack.version} ({len(pack.claims)} claims): {pack.title}")
        return EXIT_OK
    if args.pack_command == "build":
        problems = validate_pack(args.folder)
        if problems:
            raise CliError(f"{args.folder} is not a valid pack ({len(problems)} problem(s)); run: steelman pack validate {args.folder}")
        build_archive(args.folder, args.out)
        _out(f"wrote {args.out}")
        return EXIT_OK
    # show
    service = _service(args)
    try:
        try:
            pack = service.packs.get(args.pack)
        except PackValidationError as exc:
            raise CliError(str(exc)) from None
    finally:
        service.close()
    if args.json:
        _out(json.dumps(pack.to_dict(), ensure_ascii=False, indent=2))
        return EXIT_OK
    _out(f"{pack.title}  ({pack.id} {pack.version})")
    _out(f"{pack.source.author}, {pack.source.outlet}, {pack.source.date}")
    _out(f"Perspectives: {', '.join(p.name for p in pack.perspectives)}")
    for number, claim in enumerate(pack.claims, start=1):
        _out(f"{number:>2}. [{claim.kind_label}, difficulty {claim.difficulty}] {claim.quote}")
        for kp in claim.key_points:
            _out(f"      - {kp.statement}")
    return EXIT_OK


def cmd_profiles(args: argparse.Namespace) -> int:
    service = _service(args)
    try:
        if args.profiles_command == "add":
            if args.coach:
                return _add_coach(service, args)
            profile = service.profiles.add(args.name)
            _out(f"added profile {profile.name!r}")
            return EXIT_OK
        if args.profiles_command in ("set-pin", "clear-pin", "reset", "reset-pin"):
            return _profile_action(service, args)
        profiles = service.profiles.list()
        if not profiles:
            _out("No profiles yet. Add one with: steelman profiles add NAME")
        for profile in profiles:
            marks = [m for m, on in (("coach", profile.is_coach), ("PIN", profile.has_pin)) if on]
            _out(f"{profile.name}\t({', '.join(marks)})" if marks else profile.name)
    finally:
        service.close()
    return EXIT_OK


def _add_coach(service, args: argparse.Namespace) -> int:  # noqa: ANN001
    from .core.security import InvalidPinError

    pin = _read_pin(args, f"PIN for the coach {args.name} (required): ")
    if not args.pin_stdin and _read_pin(args, "Type it again: ") != pin:
        raise CliError("the two PINs differ; no coach was added")
    try:
        coach = service.profiles.add_coach(args.name, pin=pin)
    except InvalidPinError as exc:
        raise CliError(str(exc)) from None
    _out(f"added coach {coach.name!r}: students on this computer are told that their coach can read their results")
    return EXIT_OK


def _profile_action(service, args: argparse.Namespace) -> int:  # noqa: ANN001
    from .core.security import InvalidPinError
    from .core.storage import ProfileLockedError

    profile_id = _profile_id(service, args.name)
    assert profile_id is not None
    profile = service.profiles.find(profile_id)
    try:
        if args.profiles_command == "set-pin":
            current = _read_pin(args, f"Current PIN for {profile.name}: ") if profile.has_pin else None
            if current is not None and not service.profiles.verify_pin(profile_id=profile_id, pin=current):
                raise ProfileLockedError(profile.name, wrong_pin=True)
            new = _read_pin(args, f"New PIN for {profile.name}: ")
            if not args.pin_stdin and _read_pin(args, "Type it again: ") != new:
                raise CliError("the two PINs differ; nothing was changed")
            service.profiles.set_pin(profile_id=profile_id, pin=new, current_pin=current)
            _out(f"PIN set for {profile.name!r}")
        elif args.profiles_command == "clear-pin":
            if not profile.has_pin:
                _out(f"{profile.name!r} has no PIN")
                return EXIT_OK
            service.profiles.clear_pin(profile_id=profile_id, current_pin=_read_pin(args, f"PIN for {profile.name}: "))
            _out(f"PIN removed from {profile.name!r}")
        elif args.profiles_command == "reset-pin":
            if not args.coach:
                raise CliError("only a coach may reset a student's PIN: add --coach NAME")
            _unlock_coach(service, args)
            service.profiles.reset_pin(profile_id=profile_id)
            _out(f"PIN removed from {profile.name!r}; their work is kept. They can set a new PIN.")
        else:
            if not args.yes:
                sys.stderr.write(
                    f"This deletes every attempt, draft, dispute and setting of {profile.name!r}, and its PIN. "
                    "The profile name stays. It cannot be undone.\n"
                )
                sys.stderr.write("Type the profile name to confirm: ")
                sys.stderr.flush()
                typed = sys.stdin.readline().rstrip("\r\n")
                if typed.strip() != profile.name:
                    raise CliError("the name did not match; nothing was deleted")
            service.profiles.reset(profile_id=profile_id)
            _out(f"reset {profile.name!r}: its attempts, drafts, disputes and PIN are deleted")
    except ProfileLockedError as exc:
        raise CliError(str(exc)) from None
    except InvalidPinError as exc:
        raise CliError(str(exc)) from None
    return EXIT_OK


def _profile_id(service, name: str | None) -> int | None:  # noqa: ANN001
    if name is None:
        return None
    profile = service.profiles.by_name(name)
    if profile is None:
        raise CliError(f"no profile named {name!r}")
    return profile.id


def cmd_attempts(args: argparse.Namespace) -> int:
    service = _service(args)
    try:
        profile_id = _unlock(service, args, args.profile)
        attempts = service.results.list_attempts(profile_id=profile_id)
        if profile_id is None:
            _note_locked(service)
    finally:
        service.close()
    if args.json:
        from .core.export import attempt_summary

        _out(json.dumps([attempt_summary(a) for a in attempts], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not attempts:
        _out("No attempts yet.")
    for a in attempts:
        score = "-" if a.score is None else f"{round(a.score * 100)}%"
        _out(f"{a.submitted_at:%Y-%m-%d %H:%M}\t{a.profile_name}\t{a.pack_id}/{a.claim_id}\t{score}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    service = _service(args)
    try:
        profile_id = _unlock(service, args, args.profile)
        outcome = service.results.export_attempts(fmt=args.format, out=args.out, profile_id=profile_id)
        if outcome.excluded_profiles:
            _note_locked(service)
    finally:
        service.close()
    _out(f"exported {outcome.count} attempt(s) to {args.out}")
    return EXIT_OK


def cmd_backups(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from .core.backups import list_backups, restore_backup
    from .core.instance import AlreadyRunningError

    locations = _locations(args)
    if args.backups_command == "restore":
        try:
            outcome = restore_backup(locations, args.name, now=datetime.now(UTC).astimezone())
        except AlreadyRunningError as exc:
            raise CliError(f"{exc} Backups can be restored only while the app is closed.") from None
        if outcome.moved_aside is not None:
            _out(f"the database in use was moved to {outcome.moved_aside}")
        _out(f"restored {outcome.restored.name}")
        return EXIT_OK
    from .core.storage import sqlite_path

    if sqlite_path(locations.database_url) is None:
        _out("This database is on a server; Steelman makes no backups of it (the server has its own).")
        return EXIT_OK
    backups = list_backups(locations)
    if not backups:
        _out(f"No backups yet in {locations.backups_dir}.")
    for backup in backups:
        _out(f"{backup.name}\t{backup.day.isoformat()}\t{backup.size} bytes")
    return EXIT_OK


def _read_response(source: str) -> str:
    if source == "-":
        data = sys.stdin.buffer.read()
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CliError(f"standard input is not valid UTF-8 (byte offset {exc.start})") from None
    try:
        return Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"{source}: no such file") from None
    except UnicodeDecodeError as exc:
        raise CliError(f"{source}: not valid UTF-8 (byte offset {exc.start})") from None


def _find_claim(pack, given: str):  # noqa: ANN001, ANN202 - a Pack, its Claim
    """The claim ``--claim`` names: its id, else its number as ``pack show`` prints it (1-based).

    An id is tried first, so a pack whose claim ids are digits keeps working.
    """
    given = given.strip()
    for claim in pack.claims:
        if claim.id == given:
            return claim
    if given.isascii() and given.isdigit():
        number, count = int(given), len(pack.claims)
        if 1 <= number <= count:
            return pack.claims[number - 1]
        raise CliError(f"pack {pack.id!r} has {count} claim{'s' if count != 1 else ''}: --claim takes a number from 1 to {count} "
                       f"(as `steelman pack show {pack.id}` numbers them) or a claim id, not {given}")
    raise CliError(f"pack {pack.id!r} has no claim {given!r}: give its number (1 to {len(pack.claims)}, "
                   f"as `steelman pack show {pack.id}` prints them) or its id ({', '.join(c.id for c in pack.claims)})")


def cmd_score(args: argparse.Namespace) -> int:
    text = _read_response(args.file)
    service = _service(args)
    try:
        pack = service.packs.get(args.pack)
        claim = _find_claim(pack, args.claim)
        if args.perspective is not None and args.perspective not in {p.id for p in pack.perspectives}:
            raise CliError(f"pack {pack.id!r} has no perspective {args.perspective!r}")
        result = service.scoring.score(pack_id=args.pack, claim_id=claim.id, text=text,  # an id or a path
                                        perspective_id=args.perspective)
    finally:
        service.close()
    if args.json:
        document = {"pack": pack.id, "claim": claim.id, "perspective": args.perspective, "response": text, **result.to_dict()}
        _out(json.dumps(document, ensure_ascii=False, indent=2))
        return EXIT_OK
    statements = {k.id: k.statement for k in claim.key_points}
    _out(f"Claim: {claim.quote}")
    _out(f"Score: {round(result.score * 100)}%   (matcher {result.matcher_version})")
    for notice in result.notices:
        _out(f"Note: {notice}")
    _out("")
    marks = {"covered": "[x]", "partly": "[~]", "missed": "[ ]"}
    mine = set(result.perspective_key_points)
    groups = [("", [v for v in result.key_points])]
    if mine:
        name = pack.perspective(result.perspective).name
        groups = [(f"Argued as {name}: this side's key points", [v for v in result.key_points if v.key_point_id in mine]),
                  ("Other key points", [v for v in result.key_points if v.key_point_id not in mine])]
    for title, verdicts in groups:
        if title:
            _out(title)
        for verdict in verdicts:
            _out(f"{marks.get(verdict.verdict, '[?]')} {verdict.verdict:<8} {verdict.probability:4.2f}  {statements.get(verdict.key_point_id, verdict.key_point_id)}")
            for span in verdict.spans:
                _out(f"             \u201c{text[span.start:span.end].strip()}\u201d")
    for note in result.off_list():
        _out(f"[+] a point not in the key points: \u201c{text[note.span.start:note.span.end].strip()}\u201d")
    for note in result.sentences:
        if note.role == "supports":
            _out(f"[!] argues for the claim: \u201c{text[note.span.start:note.span.end].strip()}\u201d")
    if mine:
        _out(f"How this side argues: {pack.perspective(result.perspective).how_to_argue()}")
    _out("")
    for signal in result.rubric:
        _out(f"{'+' if signal.passed else '-'} {signal.name}: {signal.explanation}")
    return EXIT_OK


def cmd_rescore(args: argparse.Namespace) -> int:
    service = _service(args)
    try:
        rescored, skipped = service.scoring.rescore_attempts(profile_id=_profile_id(service, args.profile))
    finally:
        service.close()
    _out(f"re-scored {rescored} attempt(s); skipped {skipped} whose pack or claim is no longer installed")
    return EXIT_OK


def _require_coach(args: argparse.Namespace, what: str) -> None:
    if not getattr(args, "coach", None):
        raise CliError(f"only a coach may {what}: add --coach NAME")


def _local_midnight(day):  # noqa: ANN001, ANN202 - date -> aware datetime
    """The start of ``day`` in the local time zone, as an aware datetime."""
    from datetime import datetime, time

    return datetime.combine(day, time.min).astimezone()


def _local(moment) -> str:  # noqa: ANN001 - an aware datetime
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    """Rows of cells as aligned text lines (columns in ``right`` right-aligned)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths))).rstrip()
            for row in rows]


def _claim_number(packs, pack_id: str, claim_id: str) -> int | None:  # noqa: ANN001
    pack = packs.get(pack_id)
    if pack is not None:
        for number, claim in enumerate(pack.claims, start=1):
            if claim.id == claim_id:
                return number
    return None


def _statement(packs, pack_id: str, claim_id: str, key_point_id: str) -> str | None:  # noqa: ANN001
    pack = packs.get(pack_id)
    for claim in pack.claims if pack is not None else ():
        if claim.id == claim_id:
            return next((k.statement for k in claim.key_points if k.id == key_point_id), None)
    return None


def cmd_overview(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from .core.progress import format_duration, format_score

    _require_coach(args, "see the class overview")
    if args.since is not None and args.until is not None and args.since > args.until:
        raise CliError(f"--since {args.since.isoformat()} is after --until {args.until.isoformat()}")
    since = _local_midnight(args.since) if args.since is not None else None
    until = _local_midnight(args.until + timedelta(days=1)) if args.until is not None else None  # the service's until is exclusive
    service = _service(args)
    try:
        _unlock_coach(service, args)
        view = service.club.overview(pack_id=args.pack, since=since, until=until)
        installed = {p.id for p in service.packs.all()}
    finally:
        service.close()
    if args.pack is not None and args.pack not in installed and view.attempts == 0:
        raise CliError(f"no installed pack has the id {args.pack!r}, and there are no attempts at it")

    if args.since and args.until:
        period = f"{args.since.isoformat()} to {args.until.isoformat()}"
    elif args.since or args.until:
        period = f"from {args.since.isoformat()}" if args.since else f"up to {args.until.isoformat()}"
    else:
        period = "all dates"
    scope = "all packs"
    if args.pack is not None:
        title = view.pack_titles.get(args.pack)
        scope = f"{args.pack} ({title})" if title else args.pack
    _out(f"Class overview: {scope}, {period}")
    if not view.students:
        _out("No students yet. Add one with: steelman profiles add NAME")
        return EXIT_OK
    active = sum(1 for s in view.students if s.attempts)
    _out(f"{_plural(view.attempts, 'attempt')} by {active} of {_plural(len(view.students), 'student')}")
    _out()

    rows = [["Student", "Attempts", "Claims", "Average", "Time", "Last active", "Change"]]
    for s in view.students:
        if s.change is None:
            change = "\u2014"
        else:
            points = round(100 * s.change)
            change = f"{points:+d} point" + ("" if abs(points) == 1 else "s")
        last = _local(s.last_active) if s.last_active is not None else "\u2014"
        rows.append([s.name, str(s.attempts), str(s.claims_tried), format_score(s.average), format_duration(s.time_seconds), last, change])
    for line in _table(rows, right={1, 2, 3}):
        _out(line)

    _out()
    _out("Most-missed key points" if view.most_missed else "No key point missed in this range.")
    for i, m in enumerate(view.most_missed, start=1):
        claim = f"claim {m.claim_number}" if m.claim_number else f"claim {m.claim_id!r}"
        _out(f"{i:>2}. {m.pack_id} {claim}: {m.statement}")
        example = f"; example: {m.example_student}" + (f", \u201c{m.example}\u201d" if m.example else "")
        _out(f"    not yet made by {m.students_never_made} of {_plural(m.students_tried, 'student')}; "
             f"missed in {m.attempts_missed} of {_plural(m.attempts, 'attempt')}{example}")

    if args.grid:
        _out()
        if not view.columns:
            _out("Best scores: no claims tried.")
        packs_in_order = list(dict.fromkeys(c.pack_id for c in view.columns))
        for pack_id in packs_in_order:
            columns = [c for c in view.columns if c.pack_id == pack_id]
            _out(f"Best scores, {pack_id}: claim numbers as in `steelman pack show {pack_id}`; \u00b7 not tried")
            rows = [["Student", *(str(c.number) for c in columns)]]
            for s in view.students:
                cells = [view.cell(s.profile_id, c) for c in columns]
                rows.append([s.name, *("\u00b7" if cell is None else format_score(cell.best) for cell in cells)])
            for line in _table(rows, right=set(range(1, len(columns) + 1))):
                _out(line)
    return EXIT_OK


DISPUTE_KINDS = {"did-make-point": "\u201cI did make this point\u201d", "verdict-wrong": "\u201cThis is wrong\u201d"}


def cmd_disputes(args: argparse.Namespace) -> int:
    action = args.disputes_command or "list"
    _require_coach(args, "see the students' disputes" if action == "list" else "resolve disputes")
    service = _service(args)
    try:
        _unlock_coach(service, args)
        packs = {p.id: p for p in service.packs.all()}
        if action == "list":
            status = None if args.all else (args.status or "open")
            cases = service.club.disputes(status=status)
        else:
            case, before = _resolve(service, args)
    finally:
        service.close()
    if action != "list":
        return _print_resolution(case, before, packs)
    if not cases:
        _out("No disputes." if status is None else f"No {status} disputes.")
    for case in cases:
        _print_case(case, packs)
    if any(c.dispute.is_open for c in cases):
        import shlex

        coach = shlex.quote(args.coach)
        _out(f"Resolve one with: steelman disputes accept ID --coach {coach} [--verdict covered|partly|missed] [--note TEXT]")
        _out(f"              or: steelman disputes reject ID --coach {coach} [--note TEXT]")
    return EXIT_OK


def _print_case(case, packs) -> None:  # noqa: ANN001
    from .core.progress import format_score
    from .core.services.club import matcher_verdict

    d, a = case.dispute, case.attempt
    number = _claim_number(packs, a.pack_id, a.claim_id)
    claim = f"claim {number} ({a.claim_id})" if number else f"claim {a.claim_id}"
    statement = _statement(packs, a.pack_id, a.claim_id, d.key_point_id)
    _out(f"Dispute {d.id}  {d.status}  {_local(d.created_at)}  {a.profile_name}")
    _out(f"  {a.pack_id}, {claim}, key point {d.key_point_id}" + (f": {statement}" if statement else ""))
    label = f" ({DISPUTE_KINDS[d.kind]})" if d.kind in DISPUTE_KINDS else ""
    comment = f", comment: \u201c{d.comment}\u201d" if d.comment.strip() else ", no comment"
    _out(f"  {d.kind}{label}{comment}")
    _out(f"  matcher's verdict: {matcher_verdict(case) or 'none (not in this attempt)'}; attempt {a.id}, score {format_score(a.score)}")
    if not d.is_open:
        when = _local(d.resolved_at) if d.resolved_at is not None else "?"
        verdict = f", verdict {d.override_verdict}" if d.override_verdict else ""
        note = f"; note: \u201c{d.resolution_note}\u201d" if d.resolution_note.strip() else ""
        _out(f"  {d.status} by {d.resolved_by or '?'} on {when}{verdict}{note}")
    _out()


def _resolve(service, args: argparse.Namespace):  # noqa: ANN001, ANN202 - (DisputeCase, score before)
    """Accept or reject ``args.id``; a refusal is a ``CliError`` and changes nothing."""
    from .core.storage import InvalidInputError, NotFoundError
    from .core.storage.club import DisputeResolvedError

    try:
        if args.disputes_command == "accept":
            case = service.club.accept(args.id, verdict=args.verdict, note=args.note)
            before = case.attempt.superseded_scores[-1].score if case.attempt.superseded_scores else case.attempt.score
        else:
            case = service.club.reject(args.id, note=args.note)
            before = case.attempt.score
    except NotFoundError:
        raise CliError(f"no dispute with the id {args.id} (list them with: steelman disputes --all --coach NAME)") from None
    except DisputeResolvedError as exc:
        found = [c.dispute for c in service.club.disputes(status=None) if c.dispute.id == args.id]
        by = f" by {found[0].resolved_by}" if found and found[0].resolved_by else ""
        raise CliError(f"dispute {args.id} was already {exc.status}{by}; nothing was changed") from None
    except InvalidInputError as exc:
        if exc.field == "key_point_id":
            raise CliError(f"dispute {args.id} cannot be accepted: {exc.problem}; nothing was changed (reject it instead)") from None
        raise CliError(str(exc)) from None
    return case, before


def _print_resolution(case, before, packs) -> int:  # noqa: ANN001
    from .core.progress import format_score
    from .core.services.club import matcher_verdict

    d, a = case.dispute, case.attempt
    number = _claim_number(packs, a.pack_id, a.claim_id)
    claim = f"claim {number}" if number else f"claim {a.claim_id}"
    _out(f"{d.status} dispute {d.id} ({a.profile_name}, {a.pack_id} {claim}, key point {d.key_point_id})")
    if d.status == "accepted":
        _out(f"verdict: {d.override_verdict} (the matcher said {matcher_verdict(case) or '?'})")
        _out(f"score: {format_score(before)} \u2192 {format_score(a.score)}")
    else:
        kept = matcher_verdict(case)
        _out(f"verdict: {kept} (the matcher's, kept)" if kept else "verdict: none in this attempt's feedback (nothing to change)")
        _out(f"score: {format_score(a.score)} (unchanged)")
    if d.resolution_note.strip():
        _out(f"note: \u201c{d.resolution_note}\u201d")
    return EXIT_OK


def cmd_results(args: argparse.Namespace) -> int:
    if args.results_command == "export":
        return _results_export(args)
    return _results_import(args)


def _results_export(args: argparse.Namespace) -> int:
    from .core.results_file import SUFFIX

    out: Path = args.out
    if out.is_dir():
        raise CliError(f"{out} is a folder; name the file to write, e.g. {out / ('results' + SUFFIX)}")
    if out.suffix.lower() != SUFFIX:
        out = out.with_name(out.name + SUFFIX)
    service = _service(args)
    try:
        profile_id = _unlock(service, args, args.profile)
        if profile_id is not None and service.profiles.get(profile_id).is_coach:
            raise CliError(f"{args.profile!r} is a coach; a results file carries students' work")
        if profile_id is None and not any(not p.is_coach for p in service.profiles.list()):
            raise CliError("no students here to export (add one with: steelman profiles add NAME)")
        outcome = service.transfer.export_results(out, profile_id=profile_id)
    finally:
        service.close()
    if outcome.excluded:
        sys.stderr.write(f"steelman: left out PIN-protected student(s): {', '.join(outcome.excluded)} "
                         "(use --profile NAME to enter the PIN, or --coach NAME)\n")
    _out(f"wrote {_plural(outcome.attempts, 'attempt')} of {_plural(outcome.students, 'student')} to {out}")
    return EXIT_OK


def _results_import(args: argparse.Namespace) -> int:
    from .core.storage.transfer import Decision

    _require_coach(args, "import results")
    undecided: list[str] = []  # one line per file refused for a taken name

    service = _service(args)
    try:
        _unlock_coach(service, args)

        def decide(conflict):  # noqa: ANN001, ANN202 - Conflict -> Decision | None
            if args.on_conflict == "separate":
                return Decision("separate")
            existing = service.profiles.find(conflict.existing_id)
            if existing is not None and existing.is_coach:
                undecided.append(f"{conflict.name!r} is the name of a coach here, whom a student cannot be merged into: "
                                 "add --on-conflict separate")
                return None
            if args.on_conflict is None:
                here = f" (as {conflict.existing_name!r})" if conflict.existing_name != conflict.name else ""
                undecided.append(f"{conflict.name!r} is already a student here{here}: add --on-conflict merge if it is the same "
                                 "student, or --on-conflict separate to add a different student with the same name")
                return None
            return Decision("merge", conflict.existing_id)

        report = service.transfer.import_results(args.files, decide=decide)
    finally:
        service.close()
    _out(report.summary())
    hints = iter(undecided)  # decide() returning None refuses that file at once: the hints are in the refusals' order
    for name, why in report.refused:
        hint = next(hints, None) if "no choice was made" in why else None
        sys.stderr.write(f"steelman: {name} was not imported: {hint or why}\n")
    return EXIT_OK if report.imported_files or not report.refused else EXIT_ERROR


def cmd_review(args: argparse.Namespace) -> int:
    service = _service(args)
    try:
        if args.review_command == "thresholds":
            return _review_thresholds(service, args)
        if args.review_command == "rebuild":
            if args.profile is None:
                _require_coach(args, "rebuild everyone's review schedule")
            profile_id = _unlock(service, args, args.profile)
            _out(f"rebuilt {_plural(service.review.rebuild(profile_id), 'review card')} from the submitted attempts")
            return EXIT_OK
        profile_id = _unlock(service, args, args.profile)
        assert profile_id is not None  # --profile is required
        if args.pack is not None:
            service.packs.get(args.pack)  # an unknown pack is an error, not "nothing due"
        due = service.review.due(profile_id, args.pack)
        packs = {p.id: p for p in service.packs.all()}
    finally:
        service.close()
    from .core.review import rating_name

    if not due:
        _out(f"Nothing due for review today for {args.profile}.")
        return EXIT_OK
    _out(f"{args.profile}: {_plural(len(due), 'claim')} due for review today")
    rows = [["pack", "claim", "due", "last answered"]]
    for c in due:
        last = "" if c.last_review is None else _local(c.last_review)[:10] + (f" ({rating_name(c.last_rating)})" if c.last_rating else "")
        rows.append([c.pack_id, str(_claim_number(packs, c.pack_id, c.claim_id) or c.claim_id), _local(c.due)[:10], last])
    for line in _table(rows, right={1}):
        _out(line)
    return EXIT_OK


def _review_thresholds(service, args: argparse.Namespace) -> int:  # noqa: ANN001
    given = {k: getattr(args, k) for k in ("again", "hard", "good") if getattr(args, k) is not None}
    if (given or args.defaults) and getattr(args, "coach", None):
        _unlock_coach(service, args)
    if args.defaults and given:
        raise CliError("--defaults sets all three: give it alone")
    if args.defaults:
        chosen = service.review.reset_thresholds()
    elif given:
        current = service.review.thresholds()
        try:
            chosen = service.review.set_thresholds(**{"again": current.again, "hard": current.hard, "good": current.good, **given})
        except ValueError as exc:
            raise CliError(str(exc)) from None
    else:
        chosen = service.review.thresholds()
    _out(f"{'Set: ' if given or args.defaults else ''}{chosen.describe()}")
    return EXIT_OK


COMMANDS = {
    "packs": cmd_packs,
    "pack": cmd_pack,
    "profiles": cmd_profiles,
    "attempts": cmd_attempts,
    "export": cmd_export,
    "score": cmd_score,
    "rescore": cmd_rescore,
    "backups": cmd_backups,
    "overview": cmd_overview,
    "disputes": cmd_disputes,
    "results": cmd_results,
    "review": cmd_review,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from .ui.app import run_app

        return run_app(data_dir=args.data_dir, database_url=args.db, smoke=args.smoke)
    try:
        return COMMANDS[args.command](args)
    except CliError as exc:
        sys.stderr.write(f"steelman: {exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a one-line message, never a traceback
        from .core.errors import describe

        sys.stderr.write(f"steelman: {describe(exc)}\n")
        return EXIT_ERROR


if __name__ == "__main__":  # python -m trainer.cli works too
    sys.exit(main())
