package io.github.pool4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md and examples/README.md compiles as pasted, against the
 * modules of this build; see {@link ReadmeSnippets} for how fragments are wrapped.
 */
class ReadmeSnippetsTest {

    @TempDir
    Path classes;

    /** The examples module's directory: surefire runs tests there and names it {@code basedir}. */
    private static Path examplesDir() {
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    }

    private void assertCompiles(Path markdown, String name) throws IOException {
        List<ReadmeSnippets.Block> blocks = ReadmeSnippets.blocks(name, Files.readAllLines(markdown));
        assertTrue(blocks.size() >= 3, name + " has its Java snippets, found " + blocks.size());
        List<String> errors = ReadmeSnippets.compile(blocks, System.getProperty("java.class.path"), classes.resolve(name));
        if (!errors.isEmpty()) {
            fail(errors.size() + " compile error(s) in the snippets of " + name + ":\n" + String.join("\n", errors));
        }
    }

    @Test
    void rootReadme_everyJavaSnippetCompiles() throws IOException {
        assertCompiles(examplesDir().resolveSibling("README.md"), "README.md");
    }

    @Test
    void examplesReadme_everyJavaSnippetCompiles() throws IOException {
        assertCompiles(examplesDir().resolve("README.md"), "examples/README.md");
    }

    @Test
    void brokenSnippet_failureNamesTheFileTheLineAndTheCompilerError() throws IOException {
        List<String> markdown = List.of(
                "# Title",
                "",
                "```java",
                "import io.github.pool4j.Pool;",
                "",
                "List<String> names = List.of(\"Kai\");",
                "```");
        List<String> errors = ReadmeSnippets.compile(ReadmeSnippets.blocks("BROKEN.md", markdown),
                System.getProperty("java.class.path"), classes);
        assertEquals(2, errors.size(), "the type and the static call: " + errors);
        String error = errors.get(0);
        assertTrue(error.startsWith("BROKEN.md:6: error: cannot find symbol"), error);
        assertTrue(error.contains("List<String> names = List.of(\"Kai\");"), error);
        assertTrue(error.contains("in the ```java block at BROKEN.md:3"), error);
    }

    @Test
    void rule_wholeFiles_fragmentsUsingEarlierTypes_andSkippedBlocks() throws IOException {
        List<String> markdown = List.of(
                "```java",
                "import java.util.List;",
                "",
                "public final class Greeter {",
                "    public static String greet(String name) { return \"Hi \" + name; }",
                "}",
                "```",
                "```java",
                "import java.util.function.Function;",
                "",
                "record Shout(String text) {",
                "    String loud() { return text.toUpperCase() + \"!\"; }",
                "}",
                "",
                "Function<String, String> greet = Greeter::greet;",
                "System.out.println(new Shout(greet.apply(\"Kai\")).loud());",
                "```",
                "```java",
                "new Shout(\"used from another block\").loud();",
                "```",
                ReadmeSnippets.NOT_COMPILED,
                "",
                "```java",
                "this does not compile",
                "```");
        List<ReadmeSnippets.Block> blocks = ReadmeSnippets.blocks("RULE.md", markdown);
        assertEquals(List.of(1, 8, 18), blocks.stream().map(ReadmeSnippets.Block::fence).toList());
        assertEquals(List.of(), ReadmeSnippets.compile(blocks, System.getProperty("java.class.path"), classes));
    }
}
