"""Provides the statements of the queue's hot paths, built once: SQLAlchemy memoises a
statement's cache key on the object, so reusing it skips both construction and key
generation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Integer,
    String,
    bindparam,
    cast,
    exists,
    func,
    insert,
    literal,
    null,
    select,
    text,
    true,
    tuple_,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY

from queue_kiosk.domain.models import CURRENT_TICKET, BookingStatus, Status
from queue_kiosk.store.direct import DirectStatement
from queue_kiosk.store.tables import (
    booking_t,
    counter_field_t,
    counter_t,
    event_t,
    field_t,
    series_t,
    site_t,
    ticket_t,
)

if TYPE_CHECKING:
    from queue_kiosk.store.store import Store

SAME_FIELD_WAITING = (
    (ticket_t.c.site_id == bindparam("site_id")) & (ticket_t.c.status == Status.WAITING)
    & (ticket_t.c.field_id == bindparam("field_id")) & (ticket_t.c.day == bindparam("day")))
EARLIER = tuple_(ticket_t.c.queue_at, ticket_t.c.id) < tuple_(
    bindparam("queue_at", type_=ticket_t.c.queue_at.type), bindparam("id", type_=Integer))
"""Ahead in line: queue time, then issue order. A row-value comparison, so both databases
read it as one range of the line index."""


RECENT_SERVICES_KEPT = 30
RECENT_SERVICES = select(ticket_t.c.started_at, ticket_t.c.finished_at).where(
    ticket_t.c.site_id == bindparam("site_id"), ticket_t.c.field_id == bindparam("field_id"),
    ticket_t.c.day == bindparam("day"), ticket_t.c.status == Status.DONE,
).order_by(ticket_t.c.finished_at.desc()).limit(RECENT_SERVICES_KEPT)
"""The field's last services today: their median is the estimate's minutes per citizen."""

_RANKED_SERVICES = select(
    ticket_t.c.field_id, ticket_t.c.started_at, ticket_t.c.finished_at,
    func.row_number().over(partition_by=ticket_t.c.field_id,
                           order_by=ticket_t.c.finished_at.desc()).label("rank"),
).where(ticket_t.c.site_id == bindparam("site_id"), ticket_t.c.day == bindparam("day"),
        ticket_t.c.status == Status.DONE).subquery()
RECENT_SERVICES_BY_FIELD = select(
    _RANKED_SERVICES.c.field_id, _RANKED_SERVICES.c.started_at, _RANKED_SERVICES.c.finished_at,
).where(_RANKED_SERVICES.c.rank <= RECENT_SERVICES_KEPT)
"""RECENT_SERVICES for every field at once: the field queues read them in one statement."""


def of_open_counters(column: Any) -> Any:
    """A figure over the field's open counters."""
    return select(column).select_from(counter_field_t.join(
        counter_t, counter_t.c.id == counter_field_t.c.counter_id)).where(
        counter_field_t.c.field_id == bindparam("field_id"), counter_t.c.active.is_(True),
        counter_t.c.paused_reason.is_(None)).scalar_subquery()


def queue_columns(*, priority: bool, earlier: Any) -> list[Any]:
    """What a waiting ticket's estimate needs of its field: the open counters, and for
    `routing.calls_before` the earlier tickets of its class, every waiting ticket of the
    other class and the streak of the open counter nearest to its next priority turn."""
    in_class = ticket_t.c.priority.is_not(None) if priority else ticket_t.c.priority.is_(None)
    return [of_open_counters(func.count()).label("serving"),
            select(func.count()).where(SAME_FIELD_WAITING, in_class, earlier)
            .scalar_subquery().label("earlier"),
            select(func.count()).where(SAME_FIELD_WAITING, ~in_class)
            .scalar_subquery().label("other"),
            of_open_counters(func.max(counter_t.c.normal_streak)).label("streak")]


def issue_check_statement(*, priority: bool, next_seq: Any = None) -> Any:
    """Everything issuing reads, in one round trip: a row (part 0) saying whether the field
    is closed, how many of its counters are open and the ticket's place in line, and the
    rows (part 1) of its recent services. The new ticket is queued now with the highest id,
    so "earlier" is every ticket queued by now. (Four statements cost a fifth more.)

    `next_seq` (PostgreSQL, whose statements may write in a WITH): the numbering upsert,
    whose number part 0 then carries as `seq`; a refused ticket rolls it back."""
    queued_by_now = ticket_t.c.queue_at <= bindparam("now", type_=ticket_t.c.queue_at.type)
    no_time = type_coerce(null(), ticket_t.c.started_at.type)
    seq = select(next_seq.cte("seq").c.last).scalar_subquery() if next_seq is not None \
        else type_coerce(null(), Integer)
    check = select(literal(0).label("part"), field_t.c.closed_reason,
                   *queue_columns(priority=priority, earlier=queued_by_now),
                   no_time.label("started_at"), no_time.label("finished_at"),
                   CATALOG_VERSION.label("catalog_version"), seq.label("seq"),
                   ).where(field_t.c.id == bindparam("field_id"))
    recent = RECENT_SERVICES.subquery()
    return union_all(check, select(literal(1), null(), null(), null(), null(), null(),
                                   recent.c.started_at, recent.c.finished_at, null(), null()))


ISSUED_COLUMNS = ("site_id", "day", "series", "seq", "number", "token", "field_id",
                  "procedure_id", "priority", "status", "issued_at", "queue_at", "recalls",
                  "transfers", "appointment", "identity")
"""What issuing writes of a ticket; the rest stays empty until it is called."""

CALL_LOCK_SPACE = 0x514B  # "QK": the advisory-lock key space of call-next, per site
CATALOG_VERSION = select(site_t.c.catalog_version).where(
    site_t.c.id == bindparam("site_id")).scalar_subquery()
"""Read inside the rows issuing and every counter action read anyway: a process holding an
older catalogue finds out at no extra round trip."""


class Sql:
    """The statements, as class attributes; those that differ by database, per dialect."""

    inserts: dict[str, DirectStatement] = {}
    insert_event = DirectStatement(insert(event_t))
    _logged = insert(event_t).values({
        c.name: bindparam(c.name, type_=c.type) for c in event_t.c if not c.primary_key
    }).returning(event_t.c.id).cte("logged")
    # PostgreSQL: the event and its notification in one round trip, the payload its id.
    insert_event_notified = select(
        func.pg_notify(bindparam("channel", type_=String), cast(_logged.c.id, String))
    ).select_from(_logged)
    ticket_by_id = select(ticket_t).where(ticket_t.c.id == bindparam("id"))
    current = select(ticket_t).where(ticket_t.c.counter_id == bindparam("counter_id"),
                                     text(CURRENT_TICKET))
    currents = select(ticket_t).where(ticket_t.c.counter_id.in_(bindparam("ids", expanding=True)),
                                      text(CURRENT_TICKET))
    open_counters = select(counter_t.c.id, counter_t.c.normal_streak).where(
        counter_t.c.site_id == bindparam("site_id"), counter_t.c.active.is_(True),
        counter_t.c.paused_reason.is_(None))
    queue_of = {priority: select(*queue_columns(priority=priority, earlier=EARLIER))
                for priority in (False, True)}
    _waiting = [ticket_t.c.site_id == bindparam("site_id"), ticket_t.c.status == Status.WAITING,
                (ticket_t.c.field_id.in_(bindparam("field_ids", expanding=True))
                 & ticket_t.c.target_counter_id.is_(None))
                | (ticket_t.c.target_counter_id == bindparam("counter_id"))]
    _candidate_columns = (ticket_t.c.id, ticket_t.c.field_id, ticket_t.c.priority,
                          ticket_t.c.queue_at, ticket_t.c.target_counter_id,
                          ticket_t.c.appointment)
    candidates_today = select(*_candidate_columns).where(*_waiting,
                                                         ticket_t.c.day == bindparam("day"))
    candidates_any_day = select(*_candidate_columns).where(*_waiting)
    _heads: dict[tuple[int, bool, bool], Any] = {}

    @classmethod
    def line_heads(cls, fields: int, any_day: bool, *, postgres: bool = False) -> Any:
        """The first waiting ticket of each line a counter serving `fields` fields may call
        (routing's invariant makes that enough), one index probe per line, plus every
        ticket sent to the counter by name. Unlike reading the whole queue, this stays flat
        as the queue grows (the benchmark's `call_next_*_waiting` rows).

        SQLite: a union of a probe per line (parameters `field_0`…). PostgreSQL: the same
        probes joined LATERAL to the list of fields (`field_ids`): one small statement
        whatever the count, where a union of 26 probes cost more to plan than to run and,
        prepared, lost its generic plan as the line grew (4.4 ms at 8,000 waiting)."""
        key = (0 if postgres else fields, any_day, postgres)
        if key not in cls._heads:
            today = [ticket_t.c.day == bindparam("day")] if not any_day else []
            waiting = [ticket_t.c.site_id == bindparam("site_id"),
                       ticket_t.c.status == Status.WAITING, *today]

            # A field's lines: walk-ins, priority citizens, booked citizens.
            classes = {"walk-in": (ticket_t.c.priority.is_(None),
                                   ticket_t.c.appointment.is_(None)),
                       "priority": (ticket_t.c.priority.is_not(None),),
                       "booked": (ticket_t.c.priority.is_(None),
                                  ticket_t.c.appointment.is_not(None))}

            def line(field: Any, kind: str) -> Any:
                return select(*cls._candidate_columns).where(
                    *waiting, ticket_t.c.field_id == field,
                    ticket_t.c.target_counter_id.is_(None), *classes[kind],
                ).order_by(ticket_t.c.queue_at, ticket_t.c.id).limit(1)

            if postgres:
                field = func.unnest(bindparam("field_ids", type_=ARRAY(Integer))
                                    ).table_valued("id").render_derived(name="f")
                heads = union_all(*(line(field.c.id, kind) for kind in classes)).lateral("h")
                lines = [select(*heads.c).select_from(field).join(heads, true())]
            else:
                probes = [line(bindparam(f"field_{n}"), kind).subquery()
                          for n in range(fields) for kind in classes]
                lines = [select(*probe.c) for probe in probes]
            sent_here = select(*cls._candidate_columns).where(
                *waiting, ticket_t.c.target_counter_id == bindparam("counter_id"))
            cls._heads[key] = union_all(*lines, sent_here)
        return cls._heads[key]

    # Every change of a ticket is guarded by the status it was read in: of two transactions
    # that read the same state, the second changes nothing (PostgreSQL re-checks the WHERE
    # once the first commits), so a ticket is never called twice or undone behind a counter.
    # A claim is also guarded by the counter being idle: it then needs no read of its own
    # (the counter is locked; a busy one claims nothing and the caller finds out why).
    claim = DirectStatement(update(ticket_t).where(
        ticket_t.c.id == bindparam("ticket_id"), ticket_t.c.status == bindparam("from_status"),
        ~exists().where(ticket_t.alias("held").c.counter_id == bindparam("counter_id"),
                        text(f"held.{CURRENT_TICKET}")),
    ).values(status=Status.CALLED, counter_id=bindparam("counter_id"),
             called_at=bindparam("now"), started_at=None, finished_at=None, recalls=0,
             target_counter_id=None, staff_id=bindparam("staff_id")).returning(*ticket_t.c))
    lock_counter = select(counter_t.c.paused_reason, counter_t.c.normal_streak,
                          counter_t.c.appointment_streak,
                          CATALOG_VERSION.label("catalog_version")).where(
        counter_t.c.id == bindparam("counter_id")
    ).with_for_update(of=counter_t, key_share=True)
    # To call on PostgreSQL, the same statement also takes the site's call lock: one counter
    # of a site at a time chooses and claims its next ticket. The lock manager queues waiters
    # in order, so a call waits its turn instead of racing the others for the same line head
    # (SKIP LOCKED per ticket measured far slower: its losers re-read the whole queue), and
    # in the statement that locks the counter it costs no round trip of its own. Every call
    # takes the two locks in the same order. SQLite's write transactions are serial already.
    lock_counter_to_call = select(
        counter_t.c.paused_reason, counter_t.c.normal_streak, counter_t.c.appointment_streak,
        CATALOG_VERSION.label("catalog_version"),
        func.pg_advisory_xact_lock(CALL_LOCK_SPACE, counter_t.c.site_id).label("call_lock"),
    ).where(counter_t.c.id == bindparam("counter_id")
            ).with_for_update(of=counter_t, key_share=True)
    # Rows are locked FOR NO KEY UPDATE: exclusive among the queue's own actions, yet no
    # obstacle to the key-share locks PostgreSQL takes to check an event's foreign keys (a
    # finish logging its event while the day is being closed would otherwise deadlock).
    # An action on the counter's current ticket locks the ticket, not the counter: a second
    # session of the counter waits, then reads the ticket as the first left it (or no row,
    # once it is no longer current). The catalogue's version rides along.
    current_locked = select(ticket_t, CATALOG_VERSION.label("catalog_version")).where(
        ticket_t.c.counter_id == bindparam("counter_id"), text(CURRENT_TICKET),
    ).with_for_update(of=ticket_t, key_share=True)
    catalog_version = select(CATALOG_VERSION)
    # The day's bookings not yet checked in: read on every issue in a hall taking bookings.
    bookings_to_come = DirectStatement(select(booking_t.c.field_id, booking_t.c.slot_start).where(
        booking_t.c.site_id == bindparam("site_id"), booking_t.c.day == bindparam("day"),
        booking_t.c.status == BookingStatus.BOOKED))
    # Finishing in one statement (PostgreSQL): the counter's current ticket, if the process
    # holds the current catalogue; the UPDATE locks the row as it reads it, and a second
    # session of the counter finds it done. No row: the caller finds out why, the long way.
    # Its parameters are not named after columns: an UPDATE would set those columns too.
    finish_current = DirectStatement(update(ticket_t).where(
        ticket_t.c.counter_id == bindparam("at_counter"), text(CURRENT_TICKET),
        select(site_t.c.catalog_version).where(site_t.c.id == bindparam("of_site"))
        .scalar_subquery() == bindparam("catalog_version"),
    ).values(status=Status.DONE, finished_at=bindparam("now"),
             started_at=func.coalesce(ticket_t.c.started_at, ticket_t.c.called_at))
        .returning(*ticket_t.c))
    set_streak = update(counter_t).where(counter_t.c.id == bindparam("counter_id")).values(
        normal_streak=bindparam("streak"), appointment_streak=bindparam("appointment_streak"))
    upserts: dict[str, DirectStatement] = {}
    checks: dict[tuple[str, bool], DirectStatement] = {}
    _updates: dict[tuple[str, ...], DirectStatement] = {}
    _with_event: dict[tuple[int, bool], tuple[DirectStatement, Any]] = {}

    @classmethod
    def update_ticket(cls, columns: tuple[str, ...]) -> DirectStatement:
        """A guarded change of the ticket's `columns` (parameters of the same names)."""
        if columns not in cls._updates:
            cls._updates[columns] = DirectStatement(update(ticket_t).where(
                ticket_t.c.id == bindparam("ticket_id"),
                ticket_t.c.status == bindparam("from_status"),
            ).values({name: bindparam(name, type_=ticket_t.c[name].type) for name in columns})
                .returning(*ticket_t.c))
        return cls._updates[columns]

    @classmethod
    def logged(cls, change: DirectStatement, *, streak: bool = False) -> Any:
        """PostgreSQL: a ticket's change (a statement returning the ticket), its event (the
        parameters `event_*`) and the site's notification carrying the event's id, in one
        statement; with `streak`, the calling counter's streak too. No row, and nothing
        written, where the change found nothing to change."""
        key = (id(change), streak)
        if key not in cls._with_event:
            changed = change.statement.cte("changed")  # type: ignore[attr-defined]
            values = {c.name: bindparam(f"event_{c.name}", type_=c.type)
                      for c in event_t.c if not c.primary_key and c.name != "ticket_id"}
            logged = insert(event_t).from_select(
                ["ticket_id", *values], select(changed.c.id, *values.values()),
            ).returning(event_t.c.id).cte("logged")
            statement = select(changed, func.pg_notify(
                bindparam("channel", type_=String), cast(logged.c.id, String)).label("notified"),
            ).select_from(changed.join(logged, true()))
            if streak:
                statement = statement.add_cte(update(counter_t).where(
                    counter_t.c.id == bindparam("counter_id"), exists(select(changed.c.id)),
                ).values(normal_streak=bindparam("streak"),
                         appointment_streak=bindparam("appointment_streak")).cte("streak"))
            cls._with_event[key] = (change, statement)  # the change kept: its id stays its own
        return cls._with_event[key][1]

    @classmethod
    def issue_check(cls, store: Store, priority: bool) -> DirectStatement:
        """See `issue_check_statement`; on PostgreSQL it also allocates the number."""
        key = (store.dialect, priority)
        if key not in cls.checks:
            cls.checks[key] = DirectStatement(issue_check_statement(
                priority=priority,
                next_seq=cls.next_seq(store).statement if store.postgres else None))
        return cls.checks[key]

    @classmethod
    def insert_ticket(cls, store: Store) -> DirectStatement:
        """The new ticket, or no row when its number was already handed out today (a number
        block moved mid-day): the caller then takes the next number."""
        if store.dialect not in cls.inserts:
            cls.inserts[store.dialect] = DirectStatement(
                store.insert(ticket_t).values({name: bindparam(name, type_=ticket_t.c[name].type)
                                               for name in ISSUED_COLUMNS})
                .on_conflict_do_nothing(
                    index_elements=["site_id", "day", "number"]).returning(*ticket_t.c))
        return cls.inserts[store.dialect]

    @classmethod
    def next_seq(cls, store: Store) -> DirectStatement:
        """The atomic numbering upsert (both databases speak ON CONFLICT … RETURNING)."""
        if store.dialect not in cls.upserts:
            stmt = store.insert(series_t).values(
                site_id=bindparam("site_id"), day=bindparam("day"), series=bindparam("series"),
                last=1)
            cls.upserts[store.dialect] = DirectStatement(stmt.on_conflict_do_update(
                index_elements=["site_id", "day", "series"],
                set_={"last": series_t.c.last + 1}).returning(series_t.c.last))
        return cls.upserts[store.dialect]
