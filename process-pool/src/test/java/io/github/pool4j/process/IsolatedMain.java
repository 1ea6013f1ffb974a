package io.github.pool4j.process;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a main class the way {@code mvn exec:java} does: from a {@link URLClassLoader} of its own
 * (parent: the platform loader) set as the thread's context class loader, while this JVM's
 * {@code java.class.path} holds only this class.
 *
 * <p>Arguments: the class path to load from, the main class, its arguments.
 */
public final class IsolatedMain {

    private IsolatedMain() {}

    public static void main(String[] args) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : args[0].split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            Method main = Class.forName(args[1], true, loader).getMethod("main", String[].class);
            String[] rest = new String[args.length - 2];
            System.arraycopy(args, 2, rest, 0, rest.length);
            main.invoke(null, (Object) rest);
        }
    }
}
