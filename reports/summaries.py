"""Summaries kept in step with the data, so a page over every force reads a page of rows, not every grade.

MoverPair holds each force's consecutive-round pairs of grades per theme with the change between them.
A saved or deleted grade refreshes its force's pairs in the same transaction; any other change that
could move pairs (a question's theme or round, a round's order or scale, loaddata) leaves the summary
behind the data version, and the next read rebuilds it whole. Whether it is current is one number: the
data version it was last brought up to (the DataScope row 'summary:movers').
"""

from django.db import connection, transaction
from django.db.models import Q

from reports.models import DataScope, DataVersion, Grade, MoverPair, Question, Round
from reports.vocabulary import SCALE_TIERS, GradeStatus

MOVERS_MARK = "summary:movers"


def _rank_sql(*, tier: str, scale: str) -> str:
    """A tier's place on its round's scale (0 for the worst) in SQL, from the vocabulary's scales."""
    whens = " ".join(
        f"WHEN {scale} = '{name}' AND {tier} = {int(value)} THEN {rank}"
        for name, tiers in SCALE_TIERS.items()
        for rank, value in enumerate(reversed(tiers))
    )
    return f"CASE {whens} END"


def _pairs_sql(*, one_force: bool) -> str:
    grade, question, round_ = Grade._meta.db_table, Question._meta.db_table, Round._meta.db_table
    steps = f"{_rank_sql(tier='b.tier', scale='rb.scale')} - {_rank_sql(tier='a.tier', scale='ra.scale')}"
    return f"""
        INSERT INTO {MoverPair._meta.db_table}
            (force_id, theme_id, from_grade_id, to_grade_id, to_round_id, same_scale, steps, change, direction)
        SELECT force_id, theme_id, from_id, to_id, to_round_id, same_scale, steps, ABS(nominal),
               CASE WHEN nominal > 0 THEN 'improved' WHEN nominal < 0 THEN 'declined' ELSE 'unchanged' END
        FROM (
            SELECT a.force_id, qa.theme_id, a.id AS from_id, b.id AS to_id, rb.id AS to_round_id,
                   ra.scale = rb.scale AS same_scale,
                   CASE WHEN ra.scale = rb.scale THEN {steps} END AS steps,
                   CASE WHEN ra.scale = rb.scale THEN {steps} ELSE b.tier - a.tier END AS nominal
            FROM {grade} a
            JOIN {question} qa ON qa.id = a.question_id
            JOIN {round_} ra ON ra.id = qa.round_id
            JOIN {grade} b ON b.force_id = a.force_id
            JOIN {question} qb ON qb.id = b.question_id AND qb.theme_id = qa.theme_id
            JOIN {round_} rb ON rb.id = qb.round_id AND rb.position = ra.position + 1
            WHERE a.status = %s AND b.status = %s AND qa.theme_id IS NOT NULL {"AND a.force_id = %s" if one_force else ""}
        ) pairs
    """


def _mark(version: int) -> None:
    # One UPDATE on every save but the first (update_or_create reads the row first).
    if not DataScope.objects.filter(scope=MOVERS_MARK).update(version=version):
        DataScope.objects.update_or_create(scope=MOVERS_MARK, defaults={"version": version})


def _data_version() -> int:
    return DataVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def movers_summary_current() -> bool:
    """Whether the summary was brought up to the current data version (one query: every save asks it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT version FROM {DataScope._meta.db_table} WHERE scope = %s), "
            f"(SELECT version FROM {DataVersion._meta.db_table} WHERE id = 1)",
            [MOVERS_MARK],
        )
        mark, version = cursor.fetchone()
    return mark is not None and mark == (version or 0)


def movers_summary_rebuild() -> None:
    """Rebuild every pair, one rebuild at a time (the mark's row is locked; a rebuild that waited finds it
    done). The data version is read first, so a change committed meanwhile leaves it behind, never ahead."""
    with transaction.atomic():
        DataScope.objects.get_or_create(scope=MOVERS_MARK)
        mark = DataScope.objects.select_for_update().filter(scope=MOVERS_MARK).values_list("version", flat=True).get()
        version = _data_version()
        if mark == version and MoverPair.objects.exists():
            return
        MoverPair.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(_pairs_sql(one_force=False), [GradeStatus.GRADED, GradeStatus.GRADED])
        _mark(version)


def movers_summary_ensure() -> None:
    """Rebuild the summary if the data moved on in a way the incremental refresh did not follow."""
    if not movers_summary_current():
        movers_summary_rebuild()


def movers_summary_follow(*, was_current: bool, grade: Grade | None = None) -> None:
    """After a change (in its transaction, the data version already bumped): refresh the pairs of a
    saved or deleted grade's force, or nothing for a change pairs do not depend on; the summary stays
    current only if it was current before the change."""
    if not was_current:
        return
    if grade is not None:
        force_id = grade.force_id
        MoverPair.objects.filter(Q(force_id=force_id) | Q(from_grade_id=grade.pk) | Q(to_grade_id=grade.pk)).delete()
        with connection.cursor() as cursor:
            cursor.execute(_pairs_sql(one_force=True), [GradeStatus.GRADED, GradeStatus.GRADED, force_id])
    _mark(_data_version())
