/**
 * Timing decorators mirroring the blog's Python {@code @timed}: {@link io.github.pool4j.timing.Timed}
 * times actions, tasks ({@link io.github.pool4j.timing.TimedTask}) and whole pools, and records
 * {@code name seconds} to a {@link io.github.pool4j.timing.TimingSink}. Time comes from an
 * injectable {@link io.github.pool4j.timing.Ticker} ({@code System.nanoTime()} by default).
 */
package io.github.pool4j.timing;
