package dev.contentgen.server.store;

import dev.contentgen.api.Artifact;
import dev.contentgen.api.ArtifactStatus;
import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Format;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobError;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobPage;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.JobRevision;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.api.Length;
import dev.contentgen.api.StepUsage;
import dev.contentgen.api.UsageTotals;
import dev.contentgen.api.Tone;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import dev.contentgen.server.notify.Notifier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.HandleCallback;

/**
 * All SQL of jobs, their event log and artifacts. Portable between SQLite and PostgreSQL.
 * Every state change appends its event in the same transaction, so the log never disagrees
 * with the tables.
 */
public final class Store {
    private static final int HEADS_PER_QUERY = 1000;
    private static final String JOB_COLUMNS = "id, topic, format, tone, length, audience, status, attempt, last_seq, "
            + "error_code, error_message, created_at, updated_at, provider, model, owner_id, " + RevisionRows.COLUMNS;

    /** The owner of jobs created in local mode (no keys). */
    public static final String LOCAL_OWNER = "local";

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final Clock clock;
    private final EventWriter eventWriter;
    private final AppendBatch appendBatch;
    private final GroupCommit groupCommit;
    /** Appends of a job always go to the same group commit; PostgreSQL commits several groups at once. */
    private final GroupCommit[] appendGroups;
    private final boolean groupsEveryWrite;
    private final Counter transactions;
    private final Counter eventsWritten;
    private final Counter logReads;
    private final Counter eventsRead;
    private final Counter headReads;
    private final Notifier notifier;
    /** The announcements of each write in progress, by the handle it runs on. */
    private final Map<Handle, Announcements> announcing = Collections.synchronizedMap(new IdentityHashMap<>());
    /** Runs after a commit that queued a webhook delivery (the node's deliverer wakes, instead of waiting for its poll). */
    private volatile Runnable deliveriesQueued = () -> { };
    /** Runs after each commit that appended events, with those events (this node's streams take them without a read). */
    private volatile Consumer<List<StoredEvent>> committedEvents = events -> { };

    /**
     * Groups of appends a PostgreSQL node commits at once: one at a time halved jobs/s at full
     * speed (59 → 33 on the throughput benchmark), because PostgreSQL commits concurrent
     * transactions in parallel and one group at a time left it idle between commits.
     */
    private static final int POSTGRESQL_APPEND_GROUPS = 4;

    /** How long a write may wait for others to share its transaction, unless configured (see {@link GroupCommit}). */
    public static final Duration DEFAULT_COMMIT_WINDOW = Duration.ofMillis(10);

    /** Every write announces what it appended through {@code notifier}: the store is its only publisher. */
    public Store(Jdbi jdbi, Dialect dialect, Clock clock, MeterRegistry meters, Notifier notifier) {
        this(jdbi, dialect, clock, meters, notifier, DEFAULT_COMMIT_WINDOW);
    }

    /** {@code commitWindow}: how long a write may wait for others to share its transaction (0: never). */
    public Store(Jdbi jdbi, Dialect dialect, Clock clock, MeterRegistry meters, Notifier notifier, Duration commitWindow) {
        this(jdbi, dialect, clock, meters, notifier, dialect.serialisesWritesInProcess() ? 1 : POSTGRESQL_APPEND_GROUPS, commitWindow);
    }

    /** With {@code appendGroups} group commits for appends (tests line appends up behind one). */
    Store(Jdbi jdbi, Dialect dialect, Clock clock, MeterRegistry meters, Notifier notifier, int appendGroups, Duration commitWindow) {
        this.jdbi = jdbi;
        this.notifier = notifier;
        this.dialect = dialect;
        this.clock = clock;
        this.eventWriter = new EventWriter();
        this.appendBatch = new AppendBatch(eventWriter);
        this.transactions = Counter.builder("contentgen.store.transactions").description("write transactions committed").register(meters);
        this.eventsWritten = Counter.builder("contentgen.store.events.written").description("job events appended to the log").register(meters);
        // Every node groups its appends; SQLite, with one writer, groups every write.
        GroupCommit.Meters groupMeters = new GroupCommit.Meters(transactions, eventsWritten,
                DistributionSummary.builder("contentgen.store.group.writes").description("writes sharing one grouped transaction")
                        .register(meters),
                Counter.builder("contentgen.store.group.window.expired")
                        .description("grouped transactions that waited the whole commit window for more writes").register(meters));
        this.groupsEveryWrite = dialect.serialisesWritesInProcess();
        // SQLite has one writer: its one group carries every write, appends included.
        this.appendGroups = new GroupCommit[groupsEveryWrite ? 1 : appendGroups];
        for (int i = 0; i < this.appendGroups.length; i++) {
            this.appendGroups[i] = new GroupCommit(jdbi, notifier, this::committed, appendBatch, clock, groupMeters,
                    commitWindow);
        }
        this.groupCommit = this.appendGroups[0];
        // What a stream costs the database: queries on the log, and the rows they return.
        this.logReads = Counter.builder("contentgen.store.log.reads").description("queries reading job_events").register(meters);
        this.eventsRead = Counter.builder("contentgen.store.events.read").description("job events read from the store").register(meters);
        this.headReads = Counter.builder("contentgen.store.head.reads")
                .description("reads of a job's head (status, last seq, owner), mostly by stream openings").register(meters);
    }

    public record Created(Job job, boolean created, StoredEvent event) {}

    /**
     * What a stream needs of a job's row to open: where its log ends, and whose it is. {@code compactedSeq}: the highest
     * seq retention dropped from the log (0: none); see {@link Retention}.
     */
    public record JobHead(JobStatus status, long lastSeq, long compactedSeq, String owner) {}

    public record CancelResult(CancelOutcome outcome, List<StoredEvent> appended) {}

    // ---- jobs ----

    /** The node's group commit (tests line writes up behind a held group). */
    GroupCommit groupCommit() {
        return groupCommit;
    }

    /** Creates a local job without limits (tools and tests). */
    public Created createJob(JobRequest request, String idempotencyKey) {
        return createJob(request, idempotencyKey, LOCAL_OWNER, CreationLimits.NONE);
    }

    /**
     * Creates a job for {@code owner}, or returns the one this owner already created with this
     * idempotency key. The owner's limits are checked in the same transaction, under a lock on the
     * owner, so they hold across every node of a cluster.
     */
    public Created createJob(JobRequest request, String idempotencyKey, String owner, CreationLimits limits) {
        return createJob(request, null, idempotencyKey, owner, limits);
    }

    /** As above, with the job's webhook endpoint (null for none), recorded in the same transaction. */
    public Created createJob(JobRequest request, WebhookEndpoint webhook, String idempotencyKey, String owner, CreationLimits limits) {
        return createJob(request, webhook, null, idempotencyKey, owner, limits);
    }

    /**
     * As above; {@code webhookOfKey} names the key whose default webhook {@code webhook} is (null:
     * the request named it). A key's default is not part of the request an idempotency key stands for.
     */
    public Created createJob(JobRequest request, WebhookEndpoint webhook, String webhookOfKey, String idempotencyKey, String owner,
                             CreationLimits limits) {
        String hash = requestHash(request, webhookOfKey == null ? webhook : null);
        try {
            return writing(h -> {
                Optional<Created> existing = existingForKey(h, owner, idempotencyKey, hash);
                if (existing.isPresent()) {
                    return existing.get();
                }
                long now = clock.millis();
                if (!limits.unlimited()) {
                    dialect.lockOwner(h, owner);
                    limits.check(h, owner, now);
                }
                String id = Ids.newId(clock);
                h.createUpdate("""
                        INSERT INTO jobs (id, owner_id, idempotency_key, request_hash, topic, format, tone, length, audience, provider, model,
                                          status, attempt, last_seq, next_step, created_at, updated_at)
                        VALUES (:id, :owner, :key, :hash, :topic, :format, :tone, :length, :audience, :provider, :model,
                                'pending', 1, 0, 0, :now, :now)""")
                        .bind("id", id).bind("owner", owner).bind("key", idempotencyKey).bind("hash", hash)
                        .bind("topic", request.topic()).bind("format", request.format().wireName())
                        .bind("tone", request.tone().wireName()).bind("length", request.length().wireName())
                        .bind("audience", request.audience())
                        .bind("provider", request.provider()).bind("model", request.model())
                        .bind("now", now)
                        .execute();
                if (webhook != null) {
                    WebhookStore.register(h, id, webhook, webhookOfKey, now);
                }
                StoredEvent event = appendUnfenced(h, id, new JobEvent.Status(JobStatus.PENDING, 1, null, null));
                return new Created(loadJob(h, id, false).orElseThrow(), true, event);
            });
        } catch (StoreException e) {
            // Two requests with the same key raced: the loser's insert hit the unique index.
            if (idempotencyKey != null) {
                Optional<Created> winner = guarded(() -> jdbi.withHandle(h -> existingForKey(h, owner, idempotencyKey, hash)));
                if (winner.isPresent()) {
                    return winner.get();
                }
            }
            throw e;
        }
    }

    private Optional<Created> existingForKey(Handle h, String owner, String key, String hash) {
        if (key == null) {
            return Optional.empty();
        }
        record Keyed(String id, String hash) {}
        Optional<Keyed> keyed = h.createQuery("SELECT id, request_hash FROM jobs WHERE owner_id = :owner AND idempotency_key = :key")
                .bind("owner", owner).bind("key", key)
                .map((rs, ctx) -> new Keyed(rs.getString("id"), rs.getString("request_hash")))
                .findOne();
        if (keyed.isPresent() && !keyed.get().hash().equals(hash)) {
            throw new IdempotencyConflictException(keyed.get().id());
        }
        return keyed.map(k -> new Created(loadJob(h, k.id(), false).orElseThrow(), false, null));
    }

    /**
     * Creates a revision of {@code parentId} that regenerates {@code step} (see {@link RevisionRows}),
     * or returns the one this owner already made with this idempotency key. Empty when {@code scope}
     * does not see the parent; the caller has checked that it is completed and has the step.
     */
    public Optional<Created> createRevision(String parentId, JobScope scope, String step, String instruction,
                                            String idempotencyKey, String owner, CreationLimits limits) {
        String hash = sha256("revision\n" + parentId + "\n" + step + "\n" + (instruction == null ? "" : instruction));
        try {
            return newRevision(parentId, scope, step, instruction, idempotencyKey, owner, limits, hash);
        } catch (StoreException e) {
            // As for jobs: two retries with one key raced, and the loser's insert hit the unique index.
            if (idempotencyKey != null) {
                Optional<Created> winner = guarded(() -> jdbi.withHandle(h -> existingForKey(h, owner, idempotencyKey, hash)));
                if (winner.isPresent()) {
                    return winner;
                }
            }
            throw e;
        }
    }

    private Optional<Created> newRevision(String parentId, JobScope scope, String step, String instruction,
                                          String idempotencyKey, String owner, CreationLimits limits, String hash) {
        return writing(h -> {
            // The parent's row first: retries with one key queue on it, and each sees what the one before committed.
            Optional<RevisionRows.Parent> parent = RevisionRows.lockParent(h, dialect, parentId, scope);
            if (parent.isEmpty()) {
                return Optional.<Created>empty();
            }
            Optional<Created> existing = existingForKey(h, owner, idempotencyKey, hash);
            if (existing.isPresent()) {
                return existing;
            }
            long now = clock.millis();
            if (!limits.unlimited()) {
                dialect.lockOwner(h, owner);
                limits.check(h, owner, now);
            }
            String id = Ids.newId(clock);
            int number = RevisionRows.nextNumber(h, dialect, parent.get().root());
            RevisionRows.insert(h, id, parent.get(), number, step, instruction, idempotencyKey, hash, now);
            StoredEvent event = appendUnfenced(h, id, new JobEvent.Status(JobStatus.PENDING, 1, null, null));
            return Optional.of(new Created(loadJob(h, id, false).orElseThrow(), true, event));
        });
    }

    /** The piece {@code id} belongs to: its first job and every revision, in order; empty when {@code scope} does not see {@code id}. */
    public Optional<RevisionHistory> revisions(String id, JobScope scope) {
        return guarded(() -> jdbi.withHandle(h -> RevisionRows.rootOf(h, id, scope).map(root -> new RevisionHistory(root,
                h.createQuery(RevisionRows.historyQuery(JOB_COLUMNS, scope)).bind("root", root).bind("owner", scope.ownerOrNull())
                        .map((rs, ctx) -> jobFrom(rs, List.of())).list()))));
    }

    /** A piece's history: the id of its first job (which may have been deleted since) and the jobs that remain, in order. */
    public record RevisionHistory(String root, List<Job> jobs) {}

    public Optional<Job> findJob(String id) {
        return findJob(id, JobScope.everyone());
    }

    /** The job, if {@code scope} may see it: to anyone else it does not exist. */
    public Optional<Job> findJob(String id, JobScope scope) {
        return guarded(() -> jdbi.withHandle(h -> loadJob(h, id, true, scope)));
    }

    /** The job as an item of the job list shows it (no artifacts), whoever owns it: the live job list filters by owner itself. */
    public Optional<Job> findListed(String id) {
        return guarded(() -> jdbi.withHandle(h -> loadJob(h, id, false)));
    }

    public Optional<JobHead> findHead(String id) {
        return findHead(id, JobScope.everyone());
    }

    public Optional<JobHead> findHead(String id, JobScope scope) {
        headReads.increment();
        return guarded(() -> jdbi.withHandle(h -> h.createQuery("SELECT status, last_seq, compacted_seq, owner_id FROM jobs WHERE id = :id" + scope.sql())
                .bind("id", id).bind("owner", scope.ownerOrNull())
                .map((rs, ctx) -> new JobHead(JobStatus.fromWire(rs.getString("status")), rs.getLong("last_seq"), rs.getLong("compacted_seq"),
                        rs.getString("owner_id")))
                .findOne()));
    }

    /**
     * The last seq of each of {@code ids} that exists, in one query per {@value #HEADS_PER_QUERY} jobs:
     * the streams' safety net asks for every watched job at once.
     */
    public Map<String, Long> findLastSeqs(Collection<String> ids) {
        Map<String, Long> lastSeqs = new HashMap<>();
        List<String> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += HEADS_PER_QUERY) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + HEADS_PER_QUERY));
            guarded(() -> jdbi.withHandle(h -> h.createQuery("SELECT id, last_seq FROM jobs WHERE id IN (<ids>)")
                    .bindList("ids", chunk)
                    .map((rs, ctx) -> Map.entry(rs.getString("id"), rs.getLong("last_seq")))
                    .list()))
                    .forEach(head -> lastSeqs.put(head.getKey(), head.getValue()));
        }
        return lastSeqs;
    }

    /** Whether the database answers a trivial query within {@code timeoutSeconds}; throws StoreException if not. */
    public void ping(int timeoutSeconds) {
        guarded(() -> jdbi.withHandle(h -> h.createQuery("SELECT 1").setQueryTimeout(timeoutSeconds).mapTo(Integer.class).one()));
    }

    /** Newest first, of the jobs {@code scope} may see; {@code beforeId} is the cursor returned with the previous page. */
    public JobPage listJobs(JobScope scope, String beforeId, int limit) {
        return listJobs(scope, JobFilter.none(), beforeId, limit);
    }

    /** Newest first, of the jobs {@code scope} may see that match {@code filter}; the cursor works as without one. */
    public JobPage listJobs(JobScope scope, JobFilter filter, String beforeId, int limit) {
        return guarded(() -> jdbi.withHandle(h -> {
            var query = h.createQuery("SELECT " + JOB_COLUMNS + " FROM jobs WHERE 1 = 1" + scope.sql() + filter.sql()
                            + (beforeId == null ? "" : " AND id < :before")
                            + " ORDER BY id DESC LIMIT :limit")
                    .bind("owner", scope.ownerOrNull())
                    .bind("before", beforeId)
                    .bind("topicPattern", filter.topicPattern())
                    .bind("limit", limit + 1);
            if (!filter.statuses().isEmpty()) {
                query.bindList("statuses", filter.statusNames());
            }
            List<Job> jobs = query.map((rs, ctx) -> jobFrom(rs, List.of())).list();
            String next = jobs.size() > limit ? jobs.get(limit - 1).id() : null;
            return new JobPage(jobs.size() > limit ? jobs.subList(0, limit) : jobs, next);
        }));
    }

    // ---- the event log ----

    /** Events with {@code seq > afterSeq}, oldest first, at most {@code limit}. */
    public List<StoredEvent> readEvents(String jobId, long afterSeq, int limit) {
        logReads.increment();
        List<StoredEvent> events = guarded(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT seq, type, data, created_at FROM job_events
                        WHERE job_id = :job AND seq > :after ORDER BY seq LIMIT :limit""")
                .bind("job", jobId).bind("after", afterSeq).bind("limit", limit)
                .map((rs, ctx) -> storedEvent(jobId, rs.getLong("seq"), rs.getString("type"), rs.getString("data"), rs.getLong("created_at")))
                .list()));
        eventsRead.increment(events.size());
        return events;
    }

    /**
     * Appends events as {@code run}, whose log ends at {@code expectedLastSeq}; all or none. Safe to
     * retry: when an earlier try committed but its answer was lost, returns what that try wrote.
     *
     * @throws LeaseLostException when the job is no longer this run's
     */
    public List<StoredEvent> append(JobRun run, long expectedLastSeq, List<JobEvent> events) {
        GroupCommit group = appendGroups[Math.floorMod(run.jobId().hashCode(), appendGroups.length)];
        return guarded(() -> group.append(new AppendBatch.Request(run, expectedLastSeq, events)));
    }

    /**
     * {@code take} gets the events of each commit on this node, on the committing thread, before
     * their notification and before the writers go on: it must return at once.
     */
    public void onEventsCommitted(Consumer<List<StoredEvent>> take) {
        this.committedEvents = take;
    }

    /** {@code wake} runs on the committing thread after each commit that queued a webhook delivery: it must return at once. */
    public void onDeliveriesQueued(Runnable wake) {
        this.deliveriesQueued = wake;
    }

    /** A fenced append inside a write of its own (see {@link #append}). */
    private List<StoredEvent> appendFenced(Handle h, JobRun run, long expectedLastSeq, List<JobEvent> events) {
        long now = clock.millis();
        AppendBatch.Pending pending = new AppendBatch.Pending(new AppendBatch.Request(run, expectedLastSeq, events));
        try {
            appendBatch.execute(h.getConnection(), List.of(pending), now);
        } catch (SQLException e) {
            throw failed(e);
        }
        if (pending.failure != null) {
            throw pending.failure;
        }
        announcing(h).addAll(pending.announcements);
        return pending.stored;
    }

    /** Appends without a fence, for a caller whose transaction holds the job's row (it created, claimed or took it). */
    private StoredEvent appendUnfenced(Handle h, String jobId, JobEvent event) {
        try {
            return eventWriter.append(h.getConnection(), jobId, event, clock.millis(), announcing(h));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private Announcements announcing(Handle h) {
        Announcements announcements = announcing.get(h);
        if (announcements == null) {
            throw new IllegalStateException("appends run inside writing(), which announces them after the commit");
        }
        return announcements;
    }

    // ---- leases ----

    /** Leases the oldest pending job to {@code owner} as a new run and logs that it runs. */
    public Optional<ClaimedJob> claimNext(String owner, long leaseMillis) {
        return claimNext(owner, leaseMillis, 1).stream().findFirst();
    }

    /**
     * Leases up to {@code max} of the oldest pending jobs to {@code owner}, each as a new run, in one
     * transaction: one claim per transaction let a thousand queued jobs wait up to 8 s on PostgreSQL.
     */
    public List<ClaimedJob> claimNext(String owner, long leaseMillis, int max) {
        return writing(h -> {
            List<String> ids = h.createQuery("""
                            SELECT id FROM jobs WHERE status IN ('pending', 'retrying') ORDER BY id LIMIT :max""" + dialect.claimLock())
                    .bind("max", max).mapTo(String.class).list();
            if (ids.isEmpty()) {
                return List.<ClaimedJob>of();
            }
            long now = clock.millis();
            // One statement claims them all, takes each job's seq for its running status (it also is
            // that status's projection) and returns what the workers need; one read adds the finished artifacts.
            record Started(StoredEvent stored, JobEvent.Status status, ClaimedJob claim) {}
            Map<String, Started> started = new HashMap<>();
            h.createQuery("""
                            UPDATE jobs SET status = 'running', lease_owner = :owner, lease_expires_at = :expires, lease_run = lease_run + 1,
                                   error_code = NULL, error_message = NULL, last_seq = last_seq + 1, updated_at = :now
                            WHERE id IN (<ids>) AND status IN ('pending', 'retrying')
                            RETURNING id, topic, format, tone, length, audience, provider, model, attempt, next_step, last_seq, lease_run, """
                            + RevisionRows.COLUMNS)
                    .bind("owner", owner).bind("expires", now + leaseMillis).bind("now", now).bindList("ids", ids)
                    .map((rs, ctx) -> {
                        var status = new JobEvent.Status(JobStatus.RUNNING, rs.getInt("attempt"), null, null);
                        String id = rs.getString("id");
                        return new Started(EventWriter.encode(id, rs.getLong("last_seq"), status, now), status, claimFrom(rs, id));
                    })
                    .forEach(s -> started.put(s.stored().jobId(), s));
            List<String> claimedIds = ids.stream().filter(started::containsKey).toList();
            if (claimedIds.isEmpty()) {
                return List.<ClaimedJob>of();
            }
            try {
                eventWriter.insert(h.getConnection(), claimedIds.stream().map(id -> started.get(id).stored()).toList());
            } catch (SQLException e) {
                throw failed(e);
            }
            for (String id : claimedIds) {
                announcing(h).appended(started.get(id).stored(), started.get(id).status(), false);
            }
            Map<String, List<ClaimedJob.FinishedArtifact>> finished = RevisionRows.finishedArtifacts(h, claimedIds);
            return claimedIds.stream().map(id -> withArtifacts(h, started.get(id).claim(), finished.getOrDefault(id, List.of()))).toList();
        });
    }

    /** Extends the run's lease; tells the worker whether it still holds it and whether cancel was asked. */
    public LeaseState renewLease(JobRun run, long leaseMillis) {
        return renewLeases(List.of(run), leaseMillis).get(run);
    }

    /**
     * Renews many leases in one transaction (a node renews all of its jobs at once; one write
     * each queued a thousand transactions behind the node's appends). One batched update in the
     * appends' lock order (by job id), so it never deadlocks with a group of appends and holds its
     * rows for one round trip; then one read of which of them were asked to cancel.
     */
    public Map<JobRun, LeaseState> renewLeases(Collection<JobRun> runs, long leaseMillis) {
        if (runs.isEmpty()) {
            return Map.of();
        }
        List<JobRun> ordered = runs.stream().sorted(Comparator.comparing(JobRun::jobId)).toList();
        return writing(h -> {
            Connection c = h.getConnection();
            long expires = clock.millis() + leaseMillis;
            Map<JobRun, LeaseState> states = new LinkedHashMap<>();
            try {
                int[] renewed;
                try (PreparedStatement renew = c.prepareStatement(
                        "UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND lease_run = ? AND status = 'running'")) {
                    for (JobRun run : ordered) {
                        renew.setLong(1, expires);
                        renew.setString(2, run.jobId());
                        renew.setLong(3, run.number());
                        renew.addBatch();
                    }
                    renewed = renew.executeBatch();
                }
                List<JobRun> held = new ArrayList<>();
                for (int i = 0; i < ordered.size(); i++) {
                    if (renewed[i] > 0) {
                        held.add(ordered.get(i));
                    } else {
                        states.put(ordered.get(i), LeaseState.LOST);
                    }
                }
                if (!held.isEmpty()) {
                    String marks = String.join(",", Collections.nCopies(held.size(), "?"));
                    try (PreparedStatement cancels = c.prepareStatement(
                            "SELECT id FROM jobs WHERE cancel_requested = 1 AND id IN (" + marks + ")")) {
                        for (int i = 0; i < held.size(); i++) {
                            cancels.setString(i + 1, held.get(i).jobId());
                        }
                        Set<String> cancelled = new HashSet<>();
                        try (ResultSet rs = cancels.executeQuery()) {
                            while (rs.next()) {
                                cancelled.add(rs.getString(1));
                            }
                        }
                        held.forEach(run -> states.put(run, cancelled.contains(run.jobId()) ? LeaseState.CANCEL_REQUESTED : LeaseState.HELD));
                    }
                }
            } catch (SQLException e) {
                throw failed(e);
            }
            return states;
        });
    }

    /** Running jobs whose lease has expired, or all running jobs when {@code ignoreLease}. */
    public List<String> findRescuable(boolean ignoreLease) {
        return guarded(() -> jdbi.withHandle(h -> h.createQuery("SELECT id FROM jobs WHERE status = 'running'"
                        + (ignoreLease ? "" : " AND lease_expires_at < :now") + " ORDER BY id")
                .bind("now", clock.millis())
                .mapTo(String.class).list()));
    }

    /**
     * Takes a job from a lost worker: retracts the interrupted step's partial artifact and
     * re-queues the job (attempt + 1), or fails it with WORKER_LOST after {@code maxAttempts}.
     * Empty when another rescuer got there first.
     */
    public List<StoredEvent> rescue(String jobId, String rescuer, int maxAttempts, boolean ignoreLease) {
        return writing(h -> {
            // A new run: the lost worker may only be stalled, and must not write once it wakes.
            Optional<Integer> attempt = h.createQuery("UPDATE jobs SET lease_owner = :rescuer, lease_run = lease_run + 1"
                            + " WHERE id = :id AND status = 'running'"
                            + (ignoreLease ? "" : " AND lease_expires_at < :now") + " RETURNING attempt")
                    .bind("rescuer", rescuer).bind("id", jobId).bind("now", clock.millis())
                    .mapTo(Integer.class).findOne();
            if (attempt.isEmpty()) {
                return List.<StoredEvent>of();
            }
            List<StoredEvent> events = new ArrayList<>();
            for (JobEvent discard : discardStreaming(h, jobId, "the worker running this step was lost")) {
                events.add(appendUnfenced(h, jobId, discard));
            }
            JobEvent.Status next = attempt.get() >= maxAttempts
                    ? new JobEvent.Status(JobStatus.FAILED, attempt.get(),
                            new JobError(ErrorCode.WORKER_LOST, "The job was interrupted " + attempt.get()
                                    + " times and will not be retried. Create it again to start over."), null)
                    : new JobEvent.Status(JobStatus.RETRYING, attempt.get() + 1, null, null);
            events.add(appendUnfenced(h, jobId, next));
            return events;
        });
    }

    /**
     * Ends the current run of a job: retracts the partial artifact of an interrupted step and
     * logs {@code status} (cancelled, failed, or pending when a draining node hands the job back).
     * Fenced and safe to retry like {@link #append}.
     */
    public List<StoredEvent> endRun(JobRun run, long expectedLastSeq, JobEvent.Status status, String discardReason) {
        return writing(h -> {
            List<JobEvent> events = new ArrayList<>(discardStreaming(h, run.jobId(), discardReason));
            events.add(status);
            return appendFenced(h, run, expectedLastSeq, events);
        });
    }

    private static List<JobEvent> discardStreaming(Handle h, String jobId, String reason) {
        return h.createQuery("SELECT id FROM artifacts WHERE job_id = :job AND status = 'streaming' ORDER BY step")
                .bind("job", jobId).mapTo(String.class).list().stream()
                .<JobEvent>map(artifactId -> new JobEvent.ArtifactDiscarded(artifactId, reason))
                .toList();
    }

    // ---- cancel ----

    public CancelResult requestCancel(String jobId, JobScope scope) {
        return writing(h -> {
            Optional<JobStatus> status = h.createQuery("SELECT status FROM jobs WHERE id = :id" + scope.sql() + dialect.lockRow())
                    .bind("id", jobId).bind("owner", scope.ownerOrNull())
                    .map((rs, ctx) -> JobStatus.fromWire(rs.getString(1))).findOne();
            if (status.isEmpty()) {
                return new CancelResult(CancelOutcome.NOT_FOUND, List.of());
            }
            return switch (status.get()) {
                case PENDING, RETRYING -> {
                    int attempt = h.createQuery("SELECT attempt FROM jobs WHERE id = :id").bind("id", jobId)
                            .mapTo(Integer.class).one();
                    yield new CancelResult(CancelOutcome.CANCELLED, List.of(appendUnfenced(h, jobId,
                            new JobEvent.Status(JobStatus.CANCELLED, attempt, null, null))));
                }
                case RUNNING -> {
                    // Nobody holds an expired lease, so nobody would see the flag: cancel now, as a new run
                    // so that a worker stalled past its lease cannot write once it wakes.
                    Optional<Integer> orphaned = h.createQuery("UPDATE jobs SET lease_run = lease_run + 1"
                                    + " WHERE id = :id AND status = 'running' AND lease_expires_at < :now RETURNING attempt")
                            .bind("id", jobId).bind("now", clock.millis()).mapTo(Integer.class).findOne();
                    if (orphaned.isPresent()) {
                        List<StoredEvent> events = new ArrayList<>();
                        for (JobEvent discard : discardStreaming(h, jobId, "the job was cancelled")) {
                            events.add(appendUnfenced(h, jobId, discard));
                        }
                        events.add(appendUnfenced(h, jobId, new JobEvent.Status(JobStatus.CANCELLED, orphaned.get(), null, null)));
                        yield new CancelResult(CancelOutcome.CANCELLED, events);
                    }
                    h.createUpdate("UPDATE jobs SET cancel_requested = 1 WHERE id = :id").bind("id", jobId).execute();
                    yield new CancelResult(CancelOutcome.REQUESTED, List.of());
                }
                case CANCELLED -> new CancelResult(CancelOutcome.ALREADY_CANCELLED, List.of());
                case COMPLETED, FAILED -> new CancelResult(CancelOutcome.ALREADY_FINISHED, List.of());
            };
        });
    }

    /** What compaction dropped from the job's log (see {@link CompactedDeltas}); empty when nothing was or the job is gone. */
    public Optional<CompactedDeltas> findCompactedDeltas(String jobId) {
        return guarded(() -> jdbi.withHandle(h -> h.createQuery("SELECT compacted_deltas FROM jobs WHERE id = :id AND compacted_deltas IS NOT NULL")
                .bind("id", jobId).mapTo(String.class).findOne().map(CompactedDeltas::parse)));
    }

    // ---- deletion ----

    /** Deletes the job, its log and its artifacts, if {@code scope} may see it; false when there is no such job. */
    public boolean deleteJob(String jobId, JobScope scope) {
        return writing(h -> JobDeletion.delete(h, dialect, jobId, scope));
    }

    /** A write transaction for the store's own maintenance ({@link Retention}): on SQLite it joins the group commit. */
    <T> T maintenance(HandleCallback<T, RuntimeException> work) {
        return writing(work);
    }

    // ---- reading rows ----

    private Optional<Job> loadJob(Handle h, String id, boolean withArtifacts) {
        return loadJob(h, id, withArtifacts, JobScope.everyone());
    }

    /** Artifacts first, then the job, so the job's lastSeq is never older than the text beside it; both only in scope. */
    private Optional<Job> loadJob(Handle h, String id, boolean withArtifacts, JobScope scope) {
        List<Artifact> artifacts = withArtifacts ? loadArtifacts(h, id, scope) : List.of();
        UsageTotals usage = withArtifacts ? totalOf(artifacts) : null;
        return h.createQuery("SELECT " + JOB_COLUMNS + " FROM jobs WHERE id = :id" + scope.sql())
                .bind("id", id).bind("owner", scope.ownerOrNull())
                .map((rs, ctx) -> jobFrom(rs, artifacts, usage)).findOne();
    }

    private List<Artifact> loadArtifacts(Handle h, String jobId, JobScope scope) {
        record Row(Artifact artifact, long createdSeq) {}
        List<Row> rows = h.createQuery("SELECT a.id, a.kind, a.title, a.step, a.status, a.content, a.created_seq,"
                        + " u.provider, u.model, u.input_tokens, u.output_tokens, u.cost_usd"
                        + " FROM artifacts a LEFT JOIN step_usage u ON u.artifact_id = a.id WHERE a.job_id = :job"
                        + (scope instanceof JobScope.Owner ? " AND a.job_id IN (SELECT id FROM jobs WHERE id = :job AND owner_id = :owner)" : "")
                        // Two artifacts can be created in one millisecond: their place in the log breaks the tie.
                        + " ORDER BY a.created_at, COALESCE(a.created_seq, 0), a.id")
                .bind("job", jobId).bind("owner", scope.ownerOrNull())
                .map((rs, ctx) -> new Row(new Artifact(rs.getString("id"), rs.getString("kind"), rs.getString("title"),
                        rs.getInt("step"), ArtifactStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                        rs.getString("content"), usageFrom(rs)), rs.getLong("created_seq")))
                .list();
        List<Artifact> artifacts = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Artifact a = row.artifact();
            // A streaming artifact's text is its deltas so far (see EventWriter).
            artifacts.add(a.status() != ArtifactStatus.STREAMING ? a : new Artifact(a.id(), a.kind(), a.title(), a.step(), a.status(),
                    partialText(h, jobId, a.id(), row.createdSeq())));
        }
        return artifacts;
    }

    private static StepUsage usageFrom(ResultSet rs) throws SQLException {
        String provider = rs.getString("provider");
        if (provider == null) {
            return null;
        }
        double cost = rs.getDouble("cost_usd");
        Double costUsd = rs.wasNull() ? null : cost;
        return new StepUsage(provider, rs.getString("model"), rs.getLong("input_tokens"), rs.getLong("output_tokens"), costUsd);
    }

    /** A job's usage is its steps': every completed step that used tokens has its row in the ledger. */
    private static UsageTotals totalOf(List<Artifact> artifacts) {
        UsageTotals total = UsageTotals.NONE;
        for (Artifact a : artifacts) {
            if (a.usage() != null) {
                total = total.plus(a.usage().inputTokens(), a.usage().outputTokens(), a.usage().costUsd());
            }
        }
        return total;
    }

    private static String partialText(Handle h, String jobId, String artifactId, long createdSeq) {
        try {
            return PartialText.read(h.getConnection(), jobId, artifactId, createdSeq);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** A claimed job from its row as the claim returned it (no artifacts yet). */
    private static ClaimedJob claimFrom(ResultSet rs, String id) throws SQLException {
        JobRevision revision = RevisionRows.revisionFrom(rs);
        return new ClaimedJob(id, requestFrom(rs), rs.getInt("attempt"), rs.getInt("next_step"), rs.getLong("last_seq"), List.of(),
                rs.getLong("lease_run"), revision == null ? null
                : new ClaimedJob.Revision(revision.parentId(), revision.number(), revision.step(), revision.instruction(), List.of()));
    }

    /** The claim with its finished artifacts, and for a revision its parent's (read here: revisions are few). */
    private static ClaimedJob withArtifacts(Handle h, ClaimedJob claim, List<ClaimedJob.FinishedArtifact> finished) {
        ClaimedJob.Revision r = claim.revision();
        return new ClaimedJob(claim.id(), claim.request(), claim.attempt(), claim.nextStep(), claim.lastSeq(), finished, claim.runNumber(),
                r == null ? null : new ClaimedJob.Revision(r.parentId(), r.number(), r.step(), r.instruction(),
                        RevisionRows.finishedArtifacts(h, r.parentId())));
    }

    private static Job jobFrom(ResultSet rs, List<Artifact> artifacts) throws SQLException {
        return jobFrom(rs, artifacts, null);
    }

    private static Job jobFrom(ResultSet rs, List<Artifact> artifacts, UsageTotals usage) throws SQLException {
        JobRequest request = requestFrom(rs);
        String code = rs.getString("error_code");
        JobError error = code == null ? null : new JobError(ErrorCode.valueOf(code), rs.getString("error_message"));
        return new Job(rs.getString("id"), request.topic(), request.format(), request.tone(), request.length(), request.audience(),
                JobStatus.fromWire(rs.getString("status")), rs.getInt("attempt"), rs.getLong("last_seq"),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")),
                error, artifacts, request.provider(), request.model(), rs.getString("owner_id"), RevisionRows.revisionFrom(rs),
                usage, null);
    }

    private static JobRequest requestFrom(ResultSet rs) throws SQLException {
        return new JobRequest(rs.getString("topic"), Format.parse(rs.getString("format")).orElseThrow(),
                Tone.parse(rs.getString("tone")).orElseThrow(), Length.parse(rs.getString("length")).orElseThrow(),
                rs.getString("audience"), rs.getString("provider"), rs.getString("model"));
    }

    private static StoredEvent storedEvent(String jobId, long seq, String type, String data, long createdAtMillis) {
        boolean terminal = type.equals("status") && Json.readEvent(data).isTerminal();
        return new StoredEvent(jobId, seq, type, data, terminal, createdAtMillis);
    }

    /** A request without a webhook hashes as before webhooks existed; the secret is not part of the request. */
    static String requestHash(JobRequest request, WebhookEndpoint webhook) {
        return webhook == null ? requestHash(request) : requestHash(request) + ":" + sha256(webhook.url() + "\n" + webhook.steps());
    }

    /** A request without audience hashes as it did before audience existed: the codec leaves nulls out. */
    static String requestHash(JobRequest request) {
        return sha256(Json.write(request));
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * A write transaction. SQLite has one writer at a time: its writes share transactions through
     * group commit, far faster than one transaction each colliding on SQLITE_BUSY. PostgreSQL's
     * writers run concurrently, each in its own transaction (its appends are grouped, see {@link #append}).
     */
    private <T> T writing(HandleCallback<T, RuntimeException> work) {
        Announcements announcements = new Announcements();
        HandleCallback<T, RuntimeException> announced = h -> {
            announcing.put(h, announcements);
            try {
                return work.withHandle(h);
            } finally {
                announcing.remove(h);
            }
        };
        if (groupsEveryWrite) {
            return guarded(() -> groupCommit.write(announced, announcements));
        }
        T result = guarded(() -> jdbi.inTransaction(h -> {
            T r = announced.withHandle(h);
            try {
                notifier.beforeCommit(h.getConnection(), announcements.notifications());
            } catch (SQLException e) {
                throw failed(e);
            }
            return r;
        }));
        transactions.increment();
        eventsWritten.increment(announcements.events());
        // Reached only once the write has committed: a rolled-back append is never announced.
        committed(announcements);
        return result;
    }

    /** Tells this node what a commit appended: the events to its streams, then the notifications, then the deliverer. */
    private void committed(Announcements announcements) {
        if (!announcements.stored().isEmpty()) {
            committedEvents.accept(announcements.stored());
        }
        notifier.afterCommit(announcements.notifications());
        if (announcements.deliveriesQueued()) {
            deliveriesQueued.run();
        }
    }

    /** Database trouble becomes a StoreException; our own domain exceptions pass through. */
    private static <T> T guarded(Supplier<T> work) {
        try {
            return work.get();
        } catch (JdbiException e) {
            throw failed(e);
        }
    }

    private static StoreException failed(Exception e) {
        return new StoreException("store operation failed: " + rootMessage(e), e);
    }

    /** The deepest cause's message, or its type when the driver left it blank. */
    private static String rootMessage(Throwable e) {
        String message = e.toString();
        for (Throwable t = e; t != null; t = t.getCause()) {
            message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        }
        return message;
    }
}
