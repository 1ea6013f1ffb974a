package io.github.pool4j.examples;

import io.github.pool4j.Task;

/**
 * The post's {@code say_hello}: prints a greeting from inside the worker, then sleeps.
 *
 * <pre>{@code
 * def say_hello(name):
 *     print(f"Hi {name}!")
 *     sleep(10)
 * }</pre>
 *
 * <p>A record so a {@code ProcessPool} can ship it to a worker JVM as JSON. It also marks a
 * {@link Checkpoint} before sleeping, so the command can take its process table while every
 * worker sleeps, as the post's author ran {@code ps u} by hand.
 *
 * @param sleepMillis how long to sleep after greeting
 * @param checkpointDir the {@link Checkpoint} directory
 */
record SayHello(long sleepMillis, String checkpointDir) implements Task<String, String> {

    @Override
    public String apply(String name) throws InterruptedException {
        String greeting = "Hi " + name + "!";
        System.out.println(greeting);
        Checkpoint.arrive(checkpointDir);
        Thread.sleep(sleepMillis);
        return greeting;
    }
}
