package io.github.pool4j.examples;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Extracts the {@code ```java} blocks of a Markdown file and compiles them, so the snippets a
 * reader pastes compile. The rule, so a snippet may be a whole file or a fragment:
 * <ol>
 *   <li>The block's leading {@code import} lines (with blank and {@code //} lines among them) open
 *       the source file.
 *   <li>A type declaration that starts in the first column ({@code [modifiers] class|record|
 *       interface|enum Name}) runs to its closing brace and stays a top-level type; a
 *       {@code public} one names the file, as {@code javac} wants.
 *   <li>Every other line is a statement: in order, they become the body of
 *       {@code static void snippet() throws Exception} in a class of their own.
 *   <li>The blocks of one file compile together (as one project would hold them), so a block may
 *       use a type an earlier block declares. Each block must import what it uses.
 *   <li>A block right after the line {@value #NOT_COMPILED} (blank lines between allowed) is
 *       skipped: for code that is shown not to compile.
 * </ol>
 * A failure names the Markdown file, the line of the error in it, the compiler's message and the
 * line of the block's opening fence.
 */
final class ReadmeSnippets {

    /** Marks the next {@code ```java} block as not compiled. */
    static final String NOT_COMPILED = "<!-- snippet: not compiled -->";

    private static final Pattern TYPE_START = Pattern.compile(
            "^(?:@\\w+(?:\\([^)]*\\))?\\s+)*((?:(?:public|protected|private|abstract|final|static|sealed|non-sealed|strictfp)\\s+)*)"
                    + "(?:class|record|interface|enum|@interface)\\s+(\\w+)");

    private ReadmeSnippets() {}

    /**
     * A {@code ```java} block.
     *
     * @param file the Markdown file's name, for messages
     * @param fence the 1-based line of the opening fence
     * @param lines the block's lines, indentation of the fence removed
     */
    record Block(String file, int fence, List<String> lines) {}

    /** The blocks of a Markdown text, without those marked {@link #NOT_COMPILED}. */
    static List<Block> blocks(String file, List<String> markdown) {
        List<Block> blocks = new ArrayList<>();
        String previous = "";
        for (int i = 0; i < markdown.size(); i++) {
            String line = markdown.get(i);
            String trimmed = line.trim();
            if (trimmed.equals("```java")) {
                int indent = line.indexOf('`');
                List<String> body = new ArrayList<>();
                int fence = i + 1;
                for (i++; i < markdown.size() && !markdown.get(i).trim().startsWith("```"); i++) {
                    String inner = markdown.get(i);
                    body.add(inner.length() >= indent && inner.substring(0, indent).isBlank() ? inner.substring(indent) : inner);
                }
                if (!previous.equals(NOT_COMPILED)) {
                    blocks.add(new Block(file, fence, body));
                }
                previous = "";
            } else if (!trimmed.isEmpty()) {
                previous = trimmed;
            }
        }
        return blocks;
    }

    /**
     * Compiles the blocks of one Markdown file together against {@code classPath}.
     *
     * @return one message per compiler error, empty when all compile
     */
    static List<String> compile(List<Block> blocks, String classPath, Path output) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home") + " (a JRE, not a JDK?)");
        }
        List<Source> sources = new ArrayList<>();
        for (Block block : blocks) {
            sources.add(Source.of(block));
        }
        Files.createDirectories(output);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter out = new StringWriter();
        List<String> errors = new ArrayList<>();
        // javac words its messages in the default locale whatever the task's (German since JDK 21,
        // and the build's tests run with de_DE), so English is the default while it runs.
        Locale defaultLocale = Locale.getDefault();
        Locale.setDefault(Locale.ENGLISH);
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ENGLISH, null)) {
            List<String> options = List.of("--release", "17", "-proc:none", "-Xlint:none", "-encoding", "UTF-8",
                    "-classpath", classPath, "-d", output.toString());
            JavaCompiler.CompilationTask task = compiler.getTask(out, files, diagnostics, options, null, sources);
            task.setLocale(Locale.ENGLISH);
            task.call();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors.add(describe(d));
                }
            }
        } finally {
            Locale.setDefault(defaultLocale);
        }
        if (errors.isEmpty() && !out.toString().isBlank()) {
            errors.add(out.toString());
        }
        return errors;
    }

    /** A compiler error as {@code FILE.md:LINE: error: MESSAGE}, the line's text and the block's fence line. */
    private static String describe(Diagnostic<? extends JavaFileObject> d) {
        String message = d.getMessage(Locale.ENGLISH);
        if (!(d.getSource() instanceof Source source)) {
            return "error: " + message;
        }
        Block block = source.block;
        int generated = (int) d.getLineNumber();
        int line = generated >= 1 && generated <= source.lines.size() ? source.lines.get(generated - 1) : 0;
        int where = line > 0 ? line : block.fence();
        String text = line > 0 ? block.lines().get(line - block.fence() - 1).strip() : "(code added around the block)";
        return block.file() + ":" + where + ": error: " + message + "\n    " + text
                + "\n  in the ```java block at " + block.file() + ":" + block.fence();
    }

    /** One generated source file; {@code lines.get(i)} is the Markdown line of generated line i + 1, or 0. */
    private static final class Source extends SimpleJavaFileObject {

        final Block block;
        final List<Integer> lines;
        final String code;

        private Source(String className, Block block, List<Integer> lines, String code) {
            super(URI.create("string:///" + className + Kind.SOURCE.extension), Kind.SOURCE);
            this.block = block;
            this.lines = lines;
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }

        static Source of(Block block) {
            StringBuilder code = new StringBuilder();
            List<Integer> map = new ArrayList<>();
            List<String> lines = block.lines();
            int i = 0;
            while (i < lines.size()) {
                String line = lines.get(i).strip();
                if (!(line.isEmpty() || line.startsWith("//") || line.startsWith("import "))) {
                    break;
                }
                add(code, map, lines.get(i), block.fence() + 1 + i);
                i++;
            }
            String publicType = null;
            List<Integer> statements = new ArrayList<>();
            while (i < lines.size()) {
                Matcher type = TYPE_START.matcher(lines.get(i));
                if (!type.find()) {
                    statements.add(i++);
                    continue;
                }
                if (publicType == null && type.group(1).matches("(?s).*\\bpublic\\s.*")) {
                    publicType = type.group(2);
                }
                int depth = 0;
                boolean opened = false;
                do {
                    String line = lines.get(i);
                    add(code, map, line, block.fence() + 1 + i);
                    int delta = braces(line);
                    opened |= line.indexOf('{') >= 0;
                    depth += delta;
                    i++;
                } while (i < lines.size() && !(opened && depth <= 0));
            }
            String wrapper = "Snippet" + block.fence();
            if (!statements.isEmpty()) {
                add(code, map, "final class " + wrapper + " { static void snippet() throws Exception {", 0);
                for (int s : statements) {
                    add(code, map, lines.get(s), block.fence() + 1 + s);
                }
                add(code, map, "} }", 0);
            }
            return new Source(publicType != null ? publicType : wrapper, block, map, code.toString());
        }

        private static void add(StringBuilder code, List<Integer> map, String line, int markdownLine) {
            code.append(line).append('\n');
            map.add(markdownLine);
        }

        /** Opening minus closing braces outside strings, characters and comments. */
        private static int braces(String line) {
            int depth = 0;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                    break;
                } else if (c == '"' || c == '\'') {
                    for (i++; i < line.length() && line.charAt(i) != c; i++) {
                        if (line.charAt(i) == '\\') {
                            i++;
                        }
                    }
                } else if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                }
            }
            return depth;
        }
    }
}
