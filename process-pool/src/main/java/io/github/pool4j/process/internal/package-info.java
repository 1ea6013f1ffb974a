/**
 * How a {@link io.github.pool4j.process.ProcessPool} runs tasks in worker JVMs. Start here.
 *
 * <h2>The parts</h2>
 * <ul>
 *   <li>{@link io.github.pool4j.process.internal.WorkerGroup}: the work of one pool. It ships
 *       tasks ({@code prepare}), encodes chunks into pieces and queues them ({@code dispatch}),
 *       sends the pieces its {@code Scheduler} assigns ({@code assign}), cancels, and turns the
 *       frames workers send into outcomes ({@code onFrame}). It owns the pool's one lock and its
 *       one clock.</li>
 *   <li>{@code Supervisor}: the lives of the pool's workers. It starts them (launch, then the
 *       wait for a first hello), replaces the dead and the retired, stops and kills them, runs the
 *       {@code -monitor} thread (kills workers that hang or never say hello, records the processes
 *       workers start so a dead worker's children can be killed), and registers the pool with the
 *       JVM-wide {@code Supervisor.Shutdown} hook that kills every worker when this JVM exits.</li>
 *   <li>{@code CrashPolicy}: what a worker's death costs, decided from its progress notes and
 *       {@code ExitReason}: which input is blamed, which inputs ran and fail or run again (up to
 *       {@code retries}), which go back to the queue, how the death is described (signal, exit
 *       status, out-of-memory hint), and when repeated start failures mean the pool gives up. It
 *       decides and the supervisor applies; {@code CrashPolicyTest} runs it without a process.</li>
 *   <li>{@code Scheduler}: the queue of {@code Piece}s and the rule that hands them to workers,
 *       least busy first, into a window per worker: shallow by default, deep while the worker's
 *       calls are short (bounded by bytes and estimated work), never past
 *       {@code maxTasksPerWorker}. It sees a worker only as a {@code Scheduler.Slot} (ready?,
 *       calls in flight, inputs assigned, its {@code Window}) and time only through the clock it
 *       is given, so {@code SchedulerTest} runs it with fake slots and a fake clock.</li>
 *   <li>{@code WorkerProcess}: the parent's side of one worker, a session with an explicit
 *       {@code State} (STARTING → READY → RETIRING → DEAD) and one {@code ExitReason} (none for a
 *       crash) that decides whether its death is expected, whether an input is blamed, whether it
 *       is replaced and how the death is described. It owns the worker's pipe threads and reports
 *       to its owner through {@code WorkerProcess.Events}; it does not know the group.</li>
 *   <li>{@code Piece} and {@code PreparedTask}: consecutive inputs of one chunk that travel in one
 *       call frame, and a task shipped for a call (once per pool for a task without fields).</li>
 *   <li>{@link io.github.pool4j.process.internal.protocol}: the wire protocol, one record per
 *       message, written and read in {@code Wire}; the limits, the worker's arguments and the
 *       progress note layout both ends share.</li>
 *   <li>{@code Launcher}, {@code ArchiveCache}, {@code WorkerClassPath}, {@code WorkerIo}: how a
 *       worker JVM is started (its command line, its AppCDS archive and which worker of the JVM
 *       keeps it, its class path, its private protocol channel), and {@code OutputPump}: forwarding
 *       what workers print. The supervisor sees the launcher as a {@code WorkerLauncher}, which a
 *       test may replace.</li>
 *   <li>{@link io.github.pool4j.process.internal.WorkerMain}: the worker JVM's main class.</li>
 * </ul>
 *
 * <h2>The threads</h2>
 * <ul>
 *   <li>A caller's thread ({@code map}, {@code submit}, ...) ships the task, encodes a chunk's
 *       inputs (outside any lock) and queues them; under the group's lock it hands queued pieces
 *       to workers, which only puts frames in a worker's outbox.</li>
 *   <li>Per worker, {@code -in} writes the outbox to the worker, {@code -out} reads its frames and
 *       applies them (then reports the outcomes, completing the caller's results), and
 *       {@code -stdout}/{@code -err} forward its plain output. When the worker's output ends,
 *       {@code -out} reports its death, after every frame and output line it sent.</li>
 *   <li>The supervisor's {@code -monitor} thread (every 200 ms: hangs, hello timeouts, workers
 *       whose output pipe outlives them; every second: the processes workers started), and the
 *       JVM-wide shutdown hook's thread.</li>
 *   <li>In the worker JVM: the main thread reads frames, one task thread runs inputs in order, a
 *       flush thread sends gathered results, a watchdog enforces the task timeout, and a thread
 *       watches the parent.</li>
 * </ul>
 *
 * <h2>The lock</h2>
 * One lock, {@code WorkerGroup.lock}, as {@code ThreadPoolExecutor}'s {@code mainLock}, shared
 * with the group's {@code Supervisor}: it guards the group's {@code Scheduler} (its queue and every
 * worker's {@code Window}) and send counter, the supervisor's list of workers and lifecycle fields
 * (stopping, terminated, broken), the {@code CrashPolicy}'s start-failure count, the session fields
 * of every {@code WorkerProcess} (marked "guarded by the group's lock"), and each {@code Piece}'s
 * current send. Holders: a caller's thread in {@code dispatch}, {@code cancel}, {@code start},
 * {@code stop} and {@code kill}; a worker's {@code -out} thread while it applies a frame or handles
 * the death; the {@code -monitor} thread; the shutdown hook. Outcomes decided under it are
 * collected in a local list and reported after it is released ({@code WorkerGroup.report}, the one
 * way they leave), never under it: reporting runs the caller's callbacks. Pipe I/O never happens
 * under it (frames go through each worker's outbox queue).
 *
 * <h2>The clock</h2>
 * One {@code LongSupplier} of nanoseconds per pool, created by the group and passed to its
 * {@code Scheduler} (window timing), its {@code Supervisor} (hello and hang detection) and each
 * {@code WorkerProcess} (start and exit times), so a test can drive them with a fake one. Bounded
 * waits on threads and processes ({@code stop}'s grace, joins) measure real time.
 *
 * <h2>One input, from {@code map} to the worker and back</h2>
 * <ol>
 *   <li>The engine ({@code AbstractPool}) splits the inputs into chunks; {@code WorkerGroup.prepare}
 *       ships the task once per call and {@code dispatch} encodes each chunk's inputs into
 *       {@code Piece}s of at most a frame each and queues them.</li>
 *   <li>{@code Scheduler.pump} gives the queue's head to the least busy ready worker with room
 *       in its window; the group's {@code assign} sends it a definition frame if that worker has
 *       not seen the task, then the call frame.</li>
 *   <li>The worker's main thread decodes the call and queues it for the task thread, which notes
 *       each input in the progress file, runs it, and sends its result (results of consecutive
 *       inputs travel as one frame).</li>
 *   <li>The worker's {@code -out} thread decodes the frame, settles the input's position under
 *       the lock, tops the window up, and after unlocking completes the input's result.</li>
 *   <li>If the worker dies instead, its {@code -out} thread hands the death to the
 *       {@code Supervisor}; the {@code CrashPolicy} reads its {@code ExitReason} and progress note
 *       to decide which inputs ran: those fail with a {@code WorkerCrashedException} or run again
 *       on another worker (up to {@code retries}); the others go back to the front of the queue,
 *       and the supervisor starts a replacement.</li>
 * </ol>
 */
package io.github.pool4j.process.internal;
