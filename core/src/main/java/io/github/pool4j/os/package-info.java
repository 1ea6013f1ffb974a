/**
 * Seeing processes and threads: {@link io.github.pool4j.os.ProcessTable} takes a
 * {@code ps u}/{@code ps u -T}-like snapshot of this JVM and its worker processes from
 * {@code /proc} on Linux, and degrades to {@link java.lang.ProcessHandle} elsewhere.
 */
package io.github.pool4j.os;
