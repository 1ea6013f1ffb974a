package io.github.pool4j.hazelcast.internal;

import com.hazelcast.client.HazelcastClientNotActiveException;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import io.github.pool4j.PoolException;
import io.github.pool4j.Task;
import io.github.pool4j.TaskFailedException;
import io.github.pool4j.TaskSerializationException;
import io.github.pool4j.TaskSerializationException.Subject;
import io.github.pool4j.TaskTimeoutException;
import io.github.pool4j.WorkerCrashedException;
import io.github.pool4j.WorkerStats;
import io.github.pool4j.codec.Json;
import io.github.pool4j.codec.TaskDefinition;
import io.github.pool4j.codec.TaskDefinition.Role;
import io.github.pool4j.hazelcast.internal.Outcomes.Failure;
import io.github.pool4j.spi.Chunk;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JavaType;

/**
 * Sends a {@code HazelcastPool}'s chunks to the cluster's members and reports their outcomes.
 *
 * <p><b>Design.</b> A chunk is encoded once, in the caller's thread, into one or more
 * {@linkplain Piece pieces} (a piece's JSON must fit {@code maxFrameBytes}; a chunk too large is
 * halved). Pieces wait in {@link #queue} until a member has a free slot: each data member takes at
 * most {@link Config#chunksInFlightPerMember} pieces at once (by default twice its executor threads,
 * so its threads never wait for the network), and the member with the fewest pieces in flight gets
 * the next one. Hazelcast has no back-pressure of its own: this bound is what keeps a map of a
 * million inputs from queueing them all on the members. A piece goes to its member with
 * {@code IExecutorService.submitToMember} as a {@link ChunkCall}; its reply is applied on the thread
 * that completes the future (Hazelcast's), which never runs user code: the engine hands results to
 * callback threads.
 *
 * <p><b>Member loss.</b> A piece whose member left (the future fails with
 * {@link MemberLeftException}, {@link TargetDisconnectedException} or
 * {@link TargetNotMemberException}, depending on whether this side is a member or a client) goes back
 * to the front of the queue, up to {@link Config#retries} times; a piece may therefore run twice.
 * After that its inputs fail with a {@link WorkerCrashedException} naming the member. A task's own
 * exception arrives in a reply and is never retried.
 *
 * <p><b>Locking.</b> {@link #lock} guards {@link #queue}, {@link #members} and each member's
 * in-flight set. Futures are submitted, cancelled and applied outside it.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    /** How long creating a pool waits for the members to say how many threads they have. */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    /** Room left in a frame for everything but the inputs. */
    private static final long FRAME_OVERHEAD = 1024;

    /** How long the thread that cancels futures stays when it has nothing to do. */
    private static final long CANCELLER_IDLE_SECONDS = 5;

    /** How long stopping waits for the cancellations it sent to be answered. */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

    /** Extra time, past its inputs' timeouts, the pool gives a timed piece's reply before giving up. */
    private static final Duration TIMEOUT_GRACE = Duration.ofSeconds(10);

    /**
     * The options a dispatcher runs with.
     *
     * @param executorName the name of the members' executor
     * @param chunksInFlightPerMember the most pieces a member holds at once, or 0 for twice its threads
     * @param retries how often a piece is resent after its member left
     * @param taskTimeout the per-input timeout, or {@code null}
     * @param maxFrameBytes the largest JSON document either side accepts
     */
    public record Config(String executorName, int chunksInFlightPerMember, int retries, Duration taskTimeout,
            long maxFrameBytes) {}

    /**
     * A task made ready to travel: its definition as JSON text, and its types.
     *
     * @param definition the task definition
     * @param inputType the type inputs are written as
     * @param resultType the type results are read as
     */
    public record Prepared(String definition, JavaType inputType, JavaType resultType) {}

    private final HazelcastInstance instance;
    private final IExecutorService executor;
    private final Config config;
    private final Json json;
    private final UUID listenerId;
    /** Checks timed pieces; {@code null} without a task timeout. */
    private final ScheduledExecutorService timer;
    /**
     * Cancels futures: a Hazelcast client's {@code Future.cancel} waits for the member's answer,
     * which must never block a caller, nor a Hazelcast thread (the one that would deliver it).
     */
    private final java.util.concurrent.ThreadPoolExecutor canceller;

    private final ReentrantLock lock = new ReentrantLock();
    /** Pieces waiting for a slot, oldest (or resent) first. Guarded by {@link #lock}. */
    private final ArrayDeque<Piece> queue = new ArrayDeque<>();
    /** Every data member seen, by UUID, in the order seen. Guarded by {@link #lock}. */
    private final Map<UUID, MemberState> members = new LinkedHashMap<>();
    /** Set by {@link #stop}; then nothing is sent. Guarded by {@link #lock}. */
    private boolean stopped;
    private final int size;

    /**
     * Creates a dispatcher and asks every data member for its executor's threads.
     *
     * @param instance the user's Hazelcast instance (member or client); never shut down here
     * @param config the options
     * @throws IllegalStateException if the cluster has no data member, or a member cannot run
     *     pool4j's calls (pool4j is not on its class path), saying which
     */
    public Dispatcher(HazelcastInstance instance, Config config) {
        this.instance = instance;
        this.config = config;
        this.json = new Json(config.maxFrameBytes());
        this.executor = instance.getExecutorService(config.executorName());
        int threads = 0;
        Map<Member, Future<String>> probes = executor.submitToMembers(
                new MemberProbe(config.executorName()), m -> !m.isLiteMember());
        if (probes.isEmpty()) {
            throw new IllegalStateException("The Hazelcast cluster has no data member to run tasks on");
        }
        long deadline = System.nanoTime() + PROBE_TIMEOUT.toNanos();
        for (Map.Entry<Member, Future<String>> probe : probes.entrySet()) {
            MemberState state = new MemberState(probe.getKey());
            try {
                state.probed(probe.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (ExecutionException e) {
                throw new IllegalStateException(state.description + " cannot run pool4j tasks (is pool4j-hazelcast"
                        + " on its class path?): " + unwrap(e), unwrap(e));
            } catch (TimeoutException e) {
                throw new IllegalStateException(state.description + " did not answer within " + PROBE_TIMEOUT, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while asking the members for their threads", e);
            }
            threads += state.threads;
            members.put(state.member.getUuid(), state);
        }
        this.size = threads;
        this.timer = config.taskTimeout() == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pool4j-hazelcast-timer");
            t.setDaemon(true);
            return t;
        });
        this.canceller = new java.util.concurrent.ThreadPoolExecutor(0, 1, CANCELLER_IDLE_SECONDS, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "pool4j-hazelcast-cancel");
                    t.setDaemon(true);
                    return t;
                });
        this.listenerId = instance.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                pump();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                pump();
            }
        });
    }

    /**
     * Returns the number of executor threads the data members had when this dispatcher was created.
     *
     * @return at least 1
     */
    public int size() {
        return Math.max(1, size);
    }

    /**
     * Describes {@code task} for the members, checking in the caller that it can travel.
     *
     * @param task the task
     * @return the prepared task
     * @throws TaskSerializationException if the task cannot travel
     */
    public Prepared prepare(Task<?, ?> task) {
        TaskDefinition definition = TaskDefinition.ship(task, Role.TASK, null, null, json);
        return new Prepared(json.data().writeValueAsString(definition.node()), definition.inputType(),
                definition.resultType());
    }

    // ---- sending ------------------------------------------------------------------------------

    /**
     * Encodes {@code chunk} and queues it for the members; inputs that cannot be written fail now.
     *
     * @param chunk the chunk
     */
    public void dispatch(Chunk chunk) {
        List<Piece> pieces = new ArrayList<>(1);
        encode(chunk, (Prepared) chunk.preparedTask(), 0, chunk.size(), pieces);
        if (pieces.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            if (stopped) {
                throw new io.github.pool4j.PoolClosedException("the pool is stopped");
            }
            queue.addAll(pieces);
        } finally {
            lock.unlock();
        }
        pump();
    }

    private void encode(Chunk chunk, Prepared prepared, int from, int to, List<Piece> pieces) {
        long limit = config.maxFrameBytes() - FRAME_OVERHEAD;
        Values.Encoded encoded = Values.write(json, chunk.inputs().subList(from, to), prepared.inputType(), limit);
        if (encoded.overflowed()) {
            if (to - from > 1) {
                int middle = (from + to) >>> 1;
                encode(chunk, prepared, from, middle, pieces);
                encode(chunk, prepared, middle, to, pieces);
                return;
            }
            Object input = chunk.input(from);
            chunk.fail(from, new TaskSerializationException(Subject.INPUT, chunk.firstIndex() + from,
                    input.getClass().getName(), "its JSON is more than the " + limit
                            + " bytes a frame of maxFrameBytes (" + config.maxFrameBytes() + ") can carry", null));
            return;
        }
        int[] skip = encoded.failedOffsets();
        for (int k = 0; k < skip.length; k++) {
            Object input = chunk.input(from + skip[k]);
            chunk.fail(from + skip[k], new TaskSerializationException(Subject.INPUT, chunk.firstIndex() + from + skip[k],
                    input == null ? "null" : input.getClass().getName(), encoded.reasons()[k], null));
        }
        if (skip.length < to - from) {
            pieces.add(new Piece(chunk, prepared, from, to - from, encoded.bytes(), skip));
        }
    }

    /** Sends queued pieces to members with free slots, the least busy first. */
    private void pump() {
        List<Piece> toSend = new ArrayList<>();
        List<Piece> orphans = new ArrayList<>();
        lock.lock();
        try {
            if (stopped || queue.isEmpty()) {
                return;
            }
            refreshMembers();
            while (!queue.isEmpty()) {
                MemberState target = null;
                boolean anyAlive = false;
                for (MemberState m : members.values()) {
                    if (!m.alive || m.threads == 0 || m.suspect) {
                        anyAlive |= m.alive;
                        continue;
                    }
                    anyAlive = true;
                    if (m.inFlight.size() < limitOf(m) && (target == null || m.inFlight.size() < target.inFlight.size())) {
                        target = m;
                    }
                }
                if (target == null) {
                    if (!anyAlive) {
                        // No member to wait for: fail what waits rather than hang.
                        orphans.addAll(queue);
                        queue.clear();
                    }
                    break;
                }
                Piece piece = queue.poll();
                if (piece.chunk.isCancelled()) {
                    continue;
                }
                piece.member = target;
                target.inFlight.add(piece);
                toSend.add(piece);
            }
        } finally {
            lock.unlock();
        }
        for (Piece piece : orphans) {
            failLost(piece, piece.member, "no data member is left in the cluster");
        }
        for (Piece piece : toSend) {
            send(piece);
        }
    }

    private int limitOf(MemberState m) {
        return config.chunksInFlightPerMember() > 0 ? config.chunksInFlightPerMember() : 2 * m.threads;
    }

    /** Adds members that joined, marks those that left. Called under {@link #lock}. */
    private void refreshMembers() {
        Set<UUID> present = new LinkedHashSet<>();
        for (Member m : instance.getCluster().getMembers()) {
            if (m.isLiteMember()) {
                continue;
            }
            present.add(m.getUuid());
            if (!members.containsKey(m.getUuid())) {
                MemberState state = new MemberState(m);
                members.put(m.getUuid(), state);
                probeLater(state, false);
            }
        }
        for (MemberState m : members.values()) {
            m.alive = present.contains(m.member.getUuid()) && !m.broken;
        }
    }

    /**
     * Asks a member for its threads: a member that joined, before it gets work; or a suspect one
     * (work sent to it was lost), which gets work again once it answers.
     */
    private void probeLater(MemberState state, boolean suspect) {
        Future<String> probe;
        try {
            probe = executor.submitToMember(new MemberProbe(config.executorName()), state.member);
        } catch (RuntimeException e) {
            return; // this instance is shutting down
        }
        whenDone(probe, (answer, failure) -> {
            lock.lock();
            try {
                if (failure == null) {
                    state.probed(answer);
                    state.suspect = false;
                } else if (!suspect) {
                    state.broken = true;
                    log.warn("{} joined but cannot run pool4j tasks; not using it: {}", state.describe(), failure.toString());
                }
                // A suspect that does not answer stays suspect until the cluster removes it.
            } finally {
                lock.unlock();
            }
            pump();
        });
    }

    private void send(Piece piece) {
        Future<ChunkReply> future;
        try {
            future = executor.submitToMember(new ChunkCall(piece.prepared.definition(), config.maxFrameBytes(),
                    config.taskTimeout() == null ? 0 : config.taskTimeout().toMillis(), piece.bytes, piece.skip),
                    piece.member.member);
        } catch (RuntimeException e) {
            replied(piece, null, e);
            return;
        }
        piece.future = future;
        if (piece.chunk.isCancelled()) {
            cancelLater(List.of(future)); // cancelled while it was being sent
        }
        if (timer != null) {
            long guard = config.taskTimeout().multipliedBy(piece.count).plus(TIMEOUT_GRACE).toMillis();
            ScheduledFuture<?> alarm = timer.schedule(() -> overdue(piece, future), guard, TimeUnit.MILLISECONDS);
            whenDone(future, (reply, failure) -> alarm.cancel(false));
        }
        whenDone(future, (reply, failure) -> replied(piece, reply, failure));
    }

    /**
     * A timed piece whose reply is late: its task ignores the member's interrupt. Its unfinished
     * inputs fail with a timeout; the member's thread stays busy until the task returns.
     */
    private void overdue(Piece piece, Future<ChunkReply> future) {
        if (future.isDone()) {
            return;
        }
        cancelLater(List.of(future));
        for (int i = 0; i < piece.count; i++) {
            int offset = piece.from + i;
            if (!piece.chunk.isDone(offset)) {
                piece.chunk.fail(offset, new TaskTimeoutException(piece.chunk.firstIndex() + offset,
                        config.taskTimeout(), List.of()));
            }
        }
    }

    private static <V> void whenDone(Future<V> future, java.util.function.BiConsumer<V, Throwable> action) {
        if (!(future instanceof CompletionStage<?>)) {
            throw new IllegalStateException("Hazelcast returned a future that is not a CompletionStage: " + future);
        }
        @SuppressWarnings("unchecked")
        CompletionStage<V> stage = (CompletionStage<V>) future;
        // Run on the thread that completes the future: without an executor, Hazelcast would start a
        // thread per callback on a machine of 2 cores (its default async executor).
        stage.whenCompleteAsync(action, Runnable::run);
    }

    // ---- replies --------------------------------------------------------------------------------

    private void replied(Piece piece, ChunkReply reply, Throwable failure) {
        lock.lock();
        try {
            if (piece.member != null) {
                piece.member.inFlight.remove(piece);
            }
        } finally {
            lock.unlock();
        }
        try {
            if (piece.chunk.isCancelled()) {
                return; // the engine has failed its inputs already
            }
            if (reply != null) {
                apply(piece, reply);
            } else {
                failed(piece, unwrap(failure));
            }
        } catch (RuntimeException e) {
            log.error("Could not apply the reply of {}", piece.member == null ? "a member" : piece.member.description, e);
            failUnfinished(piece, index -> new PoolException("Input #" + index + " has no outcome: its member's reply"
                    + " could not be read: " + e, e));
        } finally {
            pump();
        }
    }

    private void failed(Piece piece, Throwable failure) {
        if (failure instanceof CancellationException) {
            failUnfinished(piece, index -> new NotRunException("Input #" + index + " was cancelled on its member",
                    failure, index));
            return;
        }
        if (isMemberLoss(failure)) {
            MemberState member = piece.member;
            MemberState probeSuspect = null;
            lock.lock();
            try {
                if (member != null) {
                    member.lost++;
                    // Until it answers again, send it nothing: a stopped member stays in the member
                    // list until its heartbeat times out, and would take every resend.
                    if (!member.suspect) {
                        member.suspect = true;
                        probeSuspect = member;
                    }
                }
                if (!stopped && piece.attempts < config.retries()) {
                    piece.attempts++;
                    for (int i = 0; i < piece.count; i++) {
                        if (!piece.chunk.isDone(piece.from + i)) {
                            piece.chunk.requeued(piece.from + i, true); // counted in PoolStats.retried()
                        }
                    }
                    piece.member = null;
                    piece.future = null;
                    queue.addFirst(piece); // resent first: its call has waited longest
                    return;
                }
            } finally {
                lock.unlock();
                if (probeSuspect != null) {
                    probeLater(probeSuspect, true);
                }
            }
            failLost(piece, member, failure.toString());
            return;
        }
        failUnfinished(piece, index -> new NotRunException("Input #" + index + " could not be run on "
                + (piece.member == null ? "the cluster" : piece.member.describe()) + ": " + failure, failure, index));
    }

    private boolean isMemberLoss(Throwable failure) {
        if (failure instanceof MemberLeftException || failure instanceof TargetDisconnectedException
                || failure instanceof TargetNotMemberException) {
            return true;
        }
        // A member shutting down refuses work as not active; so does this instance when it stops.
        return (failure instanceof HazelcastInstanceNotActiveException || failure instanceof RejectedExecutionException)
                && !(failure instanceof HazelcastClientNotActiveException) && instance.getLifecycleService().isRunning();
    }

    private void failLost(Piece piece, MemberState member, String why) {
        String worker = member == null ? "the cluster" : member.describe();
        long pid = member == null ? -1 : member.pid;
        failUnfinished(piece, index -> new WorkerCrashedException("Input #" + index + " was lost with " + worker
                + ", which left the cluster or stopped answering (" + why + "); sent " + (piece.attempts + 1)
                + " time(s), retries(" + config.retries() + ")", index, worker, pid, -1, null, List.of()));
    }

    private void failUnfinished(Piece piece, java.util.function.LongFunction<PoolException> failure) {
        for (int i = 0; i < piece.count; i++) {
            int offset = piece.from + i;
            if (!piece.chunk.isDone(offset)) {
                piece.chunk.fail(offset, failure.apply(piece.chunk.firstIndex() + offset));
            }
        }
    }

    private void apply(Piece piece, ChunkReply reply) {
        Chunk chunk = piece.chunk;
        Map<Integer, Failure> failures = new HashMap<>();
        if (reply.failures() != null) {
            for (Failure f : Outcomes.read(reply.failures())) {
                failures.put(f.offset(), f);
            }
        }
        List<Object> values = reply.values() == null ? null : Values.read(json, reply.values(), piece.prepared.resultType());
        if (chunk.timesTasks()) {
            int ran = piece.count - piece.skip.length;
            for (Failure f : failures.values()) {
                if (f.kind() == Outcomes.Kind.BAD_INPUT || f.kind() == Outcomes.Kind.BAD_TASK
                        || f.kind() == Outcomes.Kind.SKIPPED) {
                    ran--;
                }
            }
            chunk.ran(ran, reply.runNanos()); // the member's time, reading and writing the values included
        }
        if (failures.isEmpty() && piece.skip.length == 0 && values != null && values.size() == piece.count
                && values.stream().noneMatch(v -> v instanceof Values.Unreadable)) {
            chunk.succeedAll(piece.from, values);
            piece.member.done(piece.count);
            return;
        }
        int done = 0;
        for (int i = 0; i < piece.count; i++) {
            if (Arrays.binarySearch(piece.skip, i) >= 0) {
                continue;
            }
            int offset = piece.from + i;
            long index = chunk.firstIndex() + offset;
            Failure f = failures.get(i);
            if (f != null) {
                chunk.fail(offset, failureOf(f, index));
            } else if (values == null || i >= values.size()) {
                chunk.fail(offset, new NotRunException("Input #" + index + " has no result in its member's reply",
                        null, index));
            } else if (values.get(i) instanceof Values.Unreadable unreadable) {
                chunk.fail(offset, new TaskSerializationException(Subject.RESULT, index,
                        piece.prepared.resultType().toCanonical(), unreadable.reason(), null));
            } else {
                chunk.succeed(offset, values.get(i));
                done++;
            }
        }
        piece.member.done(done);
    }

    private PoolException failureOf(Failure f, long index) {
        return switch (f.kind()) {
            case ERROR -> new TaskFailedException(index, f.error().className(), f.error().message(), f.error().printed(),
                    f.error().rebuild());
            case BAD_INPUT -> new TaskSerializationException(Subject.INPUT, index, String.valueOf(f.typeName()), f.text(),
                    null);
            case BAD_RESULT -> new TaskSerializationException(Subject.RESULT, index, String.valueOf(f.typeName()),
                    f.text(), null);
            case BAD_TASK -> new TaskSerializationException(Subject.TASK, index, "task",
                    "the member could not load it: " + f.text(), null);
            case TIMEOUT -> new TaskTimeoutException(index, config.taskTimeout(), f.stack() == null ? List.of() : f.stack());
            case SKIPPED -> new NotRunException("Input #" + index + " was not run: its member's thread was interrupted",
                    null, index);
        };
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    // ---- cancelling and stopping ----------------------------------------------------------------

    /**
     * Drops a cancelled chunk's queued pieces and cancels its pieces in flight (their members
     * interrupt the running task).
     *
     * @param chunk the chunk
     */
    public void cancel(Chunk chunk) {
        List<Future<?>> running = new ArrayList<>();
        lock.lock();
        try {
            queue.removeIf(p -> p.chunk == chunk);
            for (MemberState m : members.values()) {
                for (Piece p : m.inFlight) {
                    if (p.chunk == chunk && p.future != null) {
                        running.add(p.future);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        cancelLater(running);
    }

    private void cancelLater(List<Future<?>> futures) {
        if (futures.isEmpty()) {
            return;
        }
        try {
            canceller.execute(() -> futures.forEach(f -> {
                try {
                    f.cancel(true);
                } catch (RuntimeException e) {
                    // The member or this instance is gone: nothing runs there any more.
                }
            }));
        } catch (RejectedExecutionException e) {
            // Stopped: terminate() cancelled everything in flight already.
        }
    }

    /**
     * Stops sending; with {@code cancelRunning}, cancels every piece in flight (their members
     * interrupt the running tasks). Never shuts down the Hazelcast instance.
     *
     * @param cancelRunning whether to cancel the work in flight
     */
    public void stop(boolean cancelRunning) {
        List<Future<?>> running = new ArrayList<>();
        lock.lock();
        try {
            stopped = true;
            queue.clear();
            for (MemberState m : members.values()) {
                for (Piece p : m.inFlight) {
                    if (p.future != null) {
                        running.add(p.future);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (cancelRunning) {
            cancelLater(running);
        }
        canceller.shutdown();
        try {
            if (!canceller.awaitTermination(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("The cluster did not answer this pool's cancellations within {}", CANCEL_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        try {
            instance.getCluster().removeMembershipListener(listenerId);
        } catch (RuntimeException e) {
            // The instance was shut down first: its listeners are gone with it.
        }
    }

    /**
     * Returns one entry per data member seen: its address, pid, inputs run for this pool, whether
     * it is still in the cluster.
     *
     * @return the members
     */
    public List<WorkerStats> workerStats() {
        lock.lock();
        try {
            refreshMembers();
            List<WorkerStats> stats = new ArrayList<>();
            for (MemberState m : members.values()) {
                stats.add(new WorkerStats(m.description, m.pid, m.tasksDone, -1, m.alive));
            }
            return stats;
        } finally {
            lock.unlock();
        }
    }

    /** A run of consecutive inputs of one chunk, encoded, on its way to a member. */
    private static final class Piece {
        final Chunk chunk;
        final Prepared prepared;
        final int from;
        final int count;
        final byte[] bytes;
        /** Offsets within this piece the parent could not write: sent as null, not run. */
        final int[] skip;
        /** How often it was resent after its member left. Guarded by the dispatcher's lock. */
        int attempts;
        /** The member it is (or was last) sent to. */
        volatile MemberState member;
        volatile Future<ChunkReply> future;

        Piece(Chunk chunk, Prepared prepared, int from, int count, byte[] bytes, int[] skip) {
            this.chunk = chunk;
            this.prepared = prepared;
            this.from = from;
            this.count = count;
            this.bytes = bytes;
            this.skip = skip;
        }
    }

    /** What the pool knows of one data member. Fields guarded by the dispatcher's lock but tasksDone. */
    private static final class MemberState {
        final Member member;
        final String description;
        final Set<Piece> inFlight = new LinkedHashSet<>();
        /** Its executor threads; 0 until its probe answered. */
        int threads;
        long pid = -1;
        boolean alive = true;
        /** Set when it cannot run pool4j's calls. */
        boolean broken;
        /** Set when work sent to it was lost, until it answers a probe. */
        boolean suspect;
        int lost;
        volatile long tasksDone;

        MemberState(Member member) {
            this.member = member;
            this.description = "member " + member.getAddress().getHost() + ":" + member.getAddress().getPort();
        }

        void probed(String answer) {
            String[] parts = answer.split(" ");
            threads = Integer.parseInt(parts[0]);
            pid = Long.parseLong(parts[1]);
        }

        synchronized void done(int inputs) {
            tasksDone += inputs;
        }

        String describe() {
            return description + (pid > 0 ? " (pid " + pid + ")" : "");
        }
    }

    /** The failure of an input that was not run, or whose run has no outcome. */
    private static final class NotRunException extends PoolException {
        private static final long serialVersionUID = 1L;

        NotRunException(String message, Throwable cause, long index) {
            super(message, cause, index);
        }
    }
}
