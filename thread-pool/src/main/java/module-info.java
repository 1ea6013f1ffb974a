/**
 * pool4j's {@link io.github.pool4j.thread.ThreadPool}: the {@link io.github.pool4j.Pool} API over
 * threads of this JVM, Python's {@code multiprocessing.pool.ThreadPool} for Java.
 */
module io.github.pool4j.thread {
    requires transitive io.github.pool4j.core;
    requires org.slf4j;

    exports io.github.pool4j.thread;
}
