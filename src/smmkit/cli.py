"""The ``smmkit`` command: datasets, assignments, curriculum and notebook housekeeping."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smmkit import __version__


def _root(args: argparse.Namespace) -> Path:
    from smmkit.paths import project_root

    return Path(args.root).resolve() if args.root else project_root()


def _datasets_build(args: argparse.Namespace) -> int:
    from smmkit.data.build import build

    return build(_root(args) / "datasets", check=args.check)


def _datasets_realism(args: argparse.Namespace) -> int:
    from smmkit.data.realism import main

    return main(_root(args) / "datasets", sys.stdout)


def _datasets_large(args: argparse.Namespace) -> int:
    import time

    from smmkit.data.large import write_large, write_web_events_large

    start = time.perf_counter()
    if args.table == "web_events":
        path = write_web_events_large(_root(args) / "datasets")
        print(f"записан {path} ({time.perf_counter() - start:.1f} с)")
        return 0
    path = write_large(_root(args) / "datasets", n=args.rows)
    rows = f"{args.rows:,}".replace(",", " ")
    print(f"записан {path} ({rows} строк, {time.perf_counter() - start:.1f} с)")
    return 0


def _assignments_build(args: argparse.Namespace) -> int:
    from smmkit.assignments import build

    return build(_root(args), check=args.check, names=args.assignment or None)


def _coverage(args: argparse.Namespace) -> int:
    from smmkit.curriculum.coverage import main

    return main(_root(args), args.format, update_floor=args.update_floor, check_floor=args.check_floor)


def _links(args: argparse.Namespace) -> int:
    from smmkit.curriculum.links import main

    return main(_root(args), [Path(p) for p in args.paths], check=args.check)


def _documents(args: argparse.Namespace) -> int:
    from smmkit.curriculum.college import SettingsError, load_settings
    from smmkit.curriculum.documents import write_documents
    from smmkit.curriculum.programme import build_programme

    try:
        settings = load_settings(Path(args.settings) if args.settings else None)
        programme = build_programme(_root(args), settings)
        written = write_documents(programme, Path(args.out), tuple(args.format or ("docx", "md")), _root(args))
    except (SettingsError, ValueError) as err:
        print(err, file=sys.stderr)
        return 2
    print(f"Документы программы: {len(written)} файлов в {args.out} ({', '.join(settings.languages)})")
    return 0


def _clean(args: argparse.Namespace) -> int:
    from smmkit import notebooks

    root = _root(args)
    paths = [Path(p) for p in args.paths] or [*notebooks.lessons(root), *notebooks.masters(root)]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"Нет такого файла или папки: {missing[0]}", file=sys.stderr)
        return 2
    paths = [nb for p in paths for nb in (sorted(p.rglob("*.ipynb")) if p.is_dir() else [p])
             if ".ipynb_checkpoints" not in nb.parts]
    dirty = notebooks.clean_files(paths, check=args.check)
    for path in dirty:
        print(("не очищен: " if args.check else "очищен: ") + str(path))
    return 1 if (args.check and dirty) else 0


def _kit_student(args: argparse.Namespace) -> int:
    from smmkit.studentkit import build_kit

    try:
        return build_kit(_root(args), Path(args.out))
    except FileNotFoundError as err:
        print(err, file=sys.stderr)
        return 2


def _grade_collect(args: argparse.Namespace) -> int:
    from smmkit.grading.collect import run_collect

    roster = Path(args.roster) if args.roster else None
    return run_collect(_root(args), args.assignment, Path(args.source), roster=roster, dry_run=args.dry_run,
                       match=args.match or (), accept_fuzzy=args.accept_fuzzy)


def _grade_export(args: argparse.Namespace) -> int:
    from smmkit.grading.export import run_export

    roster = Path(args.roster) if args.roster else None
    return run_export(_root(args), args.format, Path(args.out), assignment=args.assignment, roster=roster,
                      moodle_id=args.moodle_id, percent=args.percent, missing_as_zero=args.missing_as_zero)


def _grade_autograde(args: argparse.Namespace) -> int:
    from smmkit.grading.autograde import run_autograde

    return run_autograde(_root(args), args.assignment, args.workers, students=args.student or None,
                         timeout=args.timeout, memory_mb=args.memory_mb, isolated=not args.plain)


def _grade_feedback(args: argparse.Namespace) -> int:
    from smmkit.grading.feedback import run_feedback

    moodle_zip = Path(args.moodle_zip) if args.moodle_zip else None
    return run_feedback(_root(args), args.assignment, args.student or None, moodle_zip=moodle_zip)


def _grade_migrate(args: argparse.Namespace) -> int:
    from smmkit.grading.gradebook import run_migrate

    return run_migrate(_root(args), args.to, source=args.source)


def _driver_missing(args: argparse.Namespace) -> bool:
    """A PostgreSQL gradebook without its driver: say how to install it (in Russian) instead of a traceback."""
    if args.group != "grade" or args.cmd == "migrate":
        return False
    try:
        from smmkit.assignments import load_config
        from smmkit.grading.gradebook import driver_problem

        root = _root(args)
        problem = driver_problem(str(load_config(root, course_root=root).CourseDirectory.db_url))
    except Exception:  # no course here: the command itself says so
        return False
    if problem:
        print(problem, file=sys.stderr)
    return bool(problem)


def _grade_anomalies(args: argparse.Namespace) -> int:
    from smmkit.grading.autograde import anomalies

    table = anomalies(_root(args), args.assignment)
    print("Аномалий не найдено." if table.empty else table.to_string(index=False))
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser of the ``smmkit`` command."""
    p = argparse.ArgumentParser(prog="smmkit", description="Инструменты курса smmkit.")
    p.add_argument("--version", action="version", version=f"smmkit {__version__}")
    p.add_argument("--root", help="папка курса (по умолчанию ищется от текущей папки)")
    sub = p.add_subparsers(dest="group", required=True)

    ds = sub.add_parser("datasets", help="наборы данных").add_subparsers(dest="cmd", required=True)
    b = ds.add_parser("build", help="сгенерировать datasets/ заново (байт в байт)")
    b.add_argument("--check", action="store_true", help="только сравнить с файлами в репозитории")
    b.set_defaults(func=_datasets_build)
    r = ds.add_parser("realism", help="реалистичность: каждый ориентир из паспортов, значение в данных, в диапазоне ли")
    r.set_defaults(func=_datasets_realism)
    lg = ds.add_parser("large", help="сгенерировать большую таблицу (не хранится в git)")
    lg.add_argument("table", nargs="?", default="followers_audit", choices=["followers_audit", "web_events"],
                    help="followers_audit (по умолчанию) или web_events — события сайтов за три месяца")
    lg.add_argument("--rows", type=int, default=1_200_000, help="число строк (по умолчанию 1 200 000)")
    lg.set_defaults(func=_datasets_large)

    asg = sub.add_parser("assignments", help="задания nbgrader").add_subparsers(dest="cmd", required=True)
    b = asg.add_parser("build", help="собрать студенческие версии assignments/ из solutions/")
    b.add_argument("--check", action="store_true", help="только проверить, что assignments/ актуальны")
    b.add_argument("assignment", nargs="*", help="какие задания (по умолчанию все)")
    b.set_defaults(func=_assignments_build)

    cur = sub.add_parser("curriculum", help="учебный план и стандарт").add_subparsers(dest="cmd", required=True)
    c = cur.add_parser("coverage", help="покрытие стандарта: введено, отработано, оценено")
    c.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help="вид отчёта: таблица (по умолчанию), CSV или JSON")
    floor = c.add_mutually_exclusive_group()
    floor.add_argument("--update-floor", action="store_true",
                       help="записать текущие цифры как порог (coverage_floor.yaml), если ни одна не упала")
    floor.add_argument("--check-floor", action="store_true", help="только проверить, что цифры не ниже порога")
    c.set_defaults(func=_coverage)
    c = cur.add_parser("links", help="раздел «Связь со стандартом» уроков по меткам ячеек")
    mode = c.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="переписать раздел по меткам")
    mode.add_argument("--check", action="store_true", help="только проверить; код 1 и список устаревших уроков")
    c.add_argument("paths", nargs="*", help="какие уроки (по умолчанию все в course/)")
    c.set_defaults(func=_links)
    c = cur.add_parser("documents", help="документы программы для колледжа (.docx и Markdown, русский и казахский)")
    c.add_argument("--out", required=True, metavar="ПАПКА", help="куда записать (по папке на язык: ru/, kk/)")
    c.add_argument("--settings", metavar="ФАЙЛ.yaml",
                   help="настройки колледжа (образец с пояснениями: src/smmkit/curriculum/college.yaml)")
    c.add_argument("--format", action="append", choices=("docx", "md"), help="только этот формат (можно дважды)")
    c.set_defaults(func=_documents)

    grade = sub.add_parser("grade", help="оценивание (поверх nbgrader)").add_subparsers(dest="cmd", required=True)
    g = grade.add_parser("collect", help="собрать ответы из выгрузки Moodle (zip) или папки")
    g.add_argument("assignment", help="задание, например a01-posting-schedule")
    g.add_argument("source", help="zip «Скачать все ответы» из Moodle или папка с .ipynb")
    g.add_argument("--roster", help="CSV со списком студентов (student_id, first_name, last_name, email, moodle_id)")
    g.add_argument("--dry-run", action="store_true", help="только показать, что будет сделано")
    g.add_argument("--match", action="append", metavar="КТО=student_id",
                   help="сопоставить вручную: «номер участника Moodle=student_id» (тёзки, это задание) или "
                        "«имя из Moodle=student_id» (все задания); сохраняется в grader/roster-matches.yaml")
    g.add_argument("--accept-fuzzy", action="store_true",
                   help="подтвердить приблизительные сопоставления (Ә/А, Ұ/У, Ё/Е …) и сохранить их")
    g.set_defaults(func=_grade_collect)
    g = grade.add_parser("autograde", help="автопроверка: тесты в отдельном процессе, куда код студента не попадает; "
                         "параллельно на всех ядрах")
    g.add_argument("assignment")
    g.add_argument("--workers", type=int, default=None, help="число процессов (по умолчанию — число ядер + 1)")
    g.add_argument("--student", action="append", help="только этот студент (можно несколько раз)")
    g.add_argument("--timeout", type=int, default=30, help="предел времени на ячейку, с")
    g.add_argument("--memory-mb", type=int, default=1024, help="предел памяти ядра, МБ")
    g.add_argument("--plain", action="store_true",
                   help="как обычный nbgrader: тесты в ядре студента (для практики, не для итоговых оценок)")
    g.set_defaults(func=_grade_autograde)
    g = grade.add_parser("feedback", help="отзывы студентам (HTML) без скрытых тестов")
    g.add_argument("assignment")
    g.add_argument("--student", action="append", help="только этот студент (можно несколько раз)")
    g.add_argument("--moodle-zip", metavar="АРХИВ.zip",
                   help="ещё собрать архив отзывов для Moodle («Загрузить несколько файлов отзывов в архиве»)")
    g.set_defaults(func=_grade_feedback)
    g = grade.add_parser("anomalies", help="отчёт о подмене ячеек, сбоях и превышении пределов")
    g.add_argument("assignment")
    g.set_defaults(func=_grade_anomalies)
    g = grade.add_parser("export", help="выгрузить оценки")
    g.add_argument("format", choices=("csv", "moodle", "xlsx"), help="csv nbgrader, CSV для импорта в Moodle, xlsx")
    g.add_argument("out", help="куда записать файл")
    g.add_argument("--assignment", help="только это задание (для Moodle — рекомендуется)")
    g.add_argument("--roster", help="CSV со списком студентов")
    g.add_argument("--moodle-id", choices=("email", "idnumber"), default="email",
                   help="чем Moodle сопоставит студентов")
    g.add_argument("--percent", action="store_true", help="в Moodle — проценты вместо баллов")
    g.add_argument("--missing-as-zero", action="store_true",
                   help="в Moodle — 0 тем, кто не сдал (по умолчанию их нет в файле)")
    g.set_defaults(func=_grade_export)
    g = grade.add_parser("migrate", help="перенести журнал оценок (SQLite) в пустую базу PostgreSQL и сверить "
                         "таблицы и баллы")
    g.add_argument("--to", required=True, metavar="АДРЕС",
                   help="пустая база: postgresql+psycopg2://пользователь:пароль@сервер/база (или файл .db)")
    g.add_argument("--from", dest="source", metavar="АДРЕС|ФАЙЛ.db",
                   help="откуда (по умолчанию журнал курса из grader/nbgrader_config.py; "
                        "или копия из grader/backups/)")
    g.set_defaults(func=_grade_migrate)

    kit = sub.add_parser("kit", help="комплекты курса").add_subparsers(dest="cmd", required=True)
    k = kit.add_parser("student", help="комплект студента: уроки, задания, данные и пакет без решений, "
                       "скрытых тестов и заметок преподавателя")
    k.add_argument("--out", required=True, metavar="ПАПКА|АРХИВ.zip", help="куда записать: новая папка или .zip")
    k.set_defaults(func=_kit_student)

    nb = sub.add_parser("notebooks", help="ноутбуки курса").add_subparsers(dest="cmd", required=True)
    c = nb.add_parser("clean", help="убрать выводы (кроме ячеек NBVAL_CHECK_OUTPUT)")
    c.add_argument("--check", action="store_true", help="только проверить")
    c.add_argument("paths", nargs="*", help="какие ноутбуки или папки с ними (по умолчанию course/ и solutions/)")
    c.set_defaults(func=_clean)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = parser().parse_args(argv)
    if _driver_missing(args):
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
