package io.github.pool4j.process.reliability;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake worker JVM that speaks the pool's wire protocol well enough to be given work, then
 * answers with correct results mixed with hostile output. The parent starts it in place of
 * {@code WorkerMain} through the builder's JVM options ({@code -cp <test class path> HostileWorker});
 * what the launcher appends after them arrives here as ignored program arguments. Like the real
 * worker it finds the protocol on fds 3 and 4, where the launcher's exec wrapper moved it.
 *
 * <p>Every input {@code x} has the correct result {@code 2 * x}. System properties: {@code hostile.mode}
 * ({@code random}: each input is hostile with probability {@code hostile.rate}; {@code once}: the
 * first input of the first worker to create the file {@code hostile.marker} gets the act named by
 * {@code hostile.act}, everything else is answered well; {@code flood}:
 * the first input gets one endless frame), {@code hostile.seed}.
 */
public final class HostileWorker {

    private static final byte[] SENTINEL = {0x1E, 'p', '4', 'j', ':'};
    private static final byte[] SEGMENT = {0x1E, 'p', '4', 'j', '#'};
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern SKIP = Pattern.compile("\"skip\":\\[([0-9,]*)\\]");
    private static final Pattern INPUTS = Pattern.compile("\"in\":\\[([-0-9,null]*)\\]");

    /** What a hostile input does; the parent must answer each with a failure of that input at most. */
    enum Act {
        RANDOM_BYTES, NOISE_LINE(false, true), RAW_FRAME_ON_FD1(false, true), NOISE_ON_CHANNEL, TRUNCATED,
        TRUNCATED_THEN_FRAME, UNKNOWN_TYPE, UNEXPECTED_KIND, WRONG_ID,
        WRONG_POSITION, DUPLICATE(true), DEEP_VALUE(true), DEEP_UNKNOWN_FIELD, MISSING_VALUE, SKIP_UNASKED,
        TIMEOUT_UNASKED, OUTPUT_WITHOUT_TEXT, WRONG_VALUE_TYPE(true), FAKE_ERROR(true), HUGE_NUMBER, OVERSIZED,
        DIE_MID_FRAME, SEGMENT_OVERSIZED, SEGMENT_MALFORMED, SEGMENT_TRUNCATED, SEGMENT_UNUSED(false, true),
        SEGMENT_TYPED, SEGMENT_FRAME;

        /** The act is itself the input's answer (well-formed, if wrong): no correct result follows it. */
        final boolean answers;
        /** The act writes to the worker's plain output, not to the protocol channel: it cannot hurt. */
        final boolean harmless;

        Act() {
            this(false);
        }

        Act(boolean answers) {
            this(answers, false);
        }

        Act(boolean answers, boolean harmless) {
            this.answers = answers;
            this.harmless = harmless;
        }
    }

    /** The protocol channel: the launcher's exec wrapper moved the worker's stdout to fd 4. */
    private final OutputStream out;
    /** The worker's plain fd 1, which the parent forwards as output. */
    private final OutputStream rawOut = new FileOutputStream(FileDescriptor.out);
    private String mode = System.getProperty("hostile.mode", "random");
    private final long seed = Long.getLong("hostile.seed", 1);
    private final double rate = Double.parseDouble(System.getProperty("hostile.rate", "0.1"));
    private Random random;
    private String lastResult;

    private HostileWorker() throws IOException {
        out = new BufferedOutputStream(new FileOutputStream("/proc/self/fd/4"), 1 << 16);
    }

    /**
     * Runs the fake worker until stdin ends or a shutdown frame arrives.
     *
     * @param args ignored: the launcher's own options and arguments
     * @throws IOException if a pipe breaks
     */
    public static void main(String[] args) throws IOException {
        new HostileWorker().run();
    }

    private void run() throws IOException {
        frame("{\"t\":\"hello\",\"pid\":" + ProcessHandle.current().pid() + ",\"jdk\":\"hostile\"}");
        out.flush();
        // The wrapper moved the worker's stdin to fd 3 (fd 0 reads /dev/null).
        BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream("/proc/self/fd/3"),
                StandardCharsets.ISO_8859_1));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.contains("\"t\":\"bye\"")) {
                break;
            }
            if (line.contains("\"t\":\"call\"")) {
                call(line);
                out.flush();
            }
        }
        out.flush();
        System.exit(0);
    }

    private void call(String line) throws IOException {
        long id = Long.parseLong(find(ID, line));
        if (random == null) {
            random = new Random(seed * 1_000_003L + id);
        }
        List<Integer> skip = new ArrayList<>();
        for (String s : find(SKIP, line).split(",")) {
            if (!s.isEmpty()) {
                skip.add(Integer.parseInt(s));
            }
        }
        String[] inputs = find(INPUTS, line).split(",");
        for (int i = 0; i < inputs.length; i++) {
            if (skip.contains(i)) {
                continue;
            }
            long x = Long.parseLong(inputs[i]);
            Act act = null;
            if (mode.equals("flood")) {
                flood();
            } else if (mode.equals("once")) {
                mode = "good";
                if (firstInPool()) {
                    act = Act.valueOf(System.getProperty("hostile.act"));
                }
            } else if (mode.equals("random") && random.nextDouble() < rate) {
                act = Act.values()[random.nextInt(Act.values().length)];
            }
            if (act != null) {
                hostile(act, id, i, x);
            }
            if (act == null || !act.answers) {
                result(id, i, 2 * x);
            }
        }
    }

    /** Whether this is the first worker of its pool to act: the marker file exists once. */
    private static boolean firstInPool() throws IOException {
        try {
            Files.createFile(Path.of(System.getProperty("hostile.marker")));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    private void result(long id, int index, long value) throws IOException {
        lastResult = "{\"t\":\"r\",\"id\":" + id + ",\"i\":" + index + ",\"v\":" + value + "}";
        frame(lastResult);
    }

    private void hostile(Act act, long id, int i, long x) throws IOException {
        String good = "{\"t\":\"r\",\"id\":" + id + ",\"i\":" + i + ",\"v\":" + 2 * x + "}";
        // On stderr, so a failing seed's log and the crash's stderr tail say what was done.
        System.err.println("hostile: " + act + " in call " + id + " at position " + i);
        out.flush();
        switch (act) {
            case RANDOM_BYTES -> {
                byte[] junk = new byte[1 + random.nextInt(300)];
                random.nextBytes(junk);
                for (int k = 0; k < junk.length; k++) {
                    if (junk[k] == '\n') {
                        junk[k] = ' ';
                    }
                }
                out.write(SENTINEL);
                out.write(junk);
                out.write('\n');
            }
            // Plain output, harmless. Letters only, to keep the build log readable.
            case NOISE_LINE -> rawOut.write(("hostile noise " + Long.toString(random.nextLong(), 36) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // A frame lookalike on fd 1 is plain output too: it cannot answer an input.
            case RAW_FRAME_ON_FD1 -> {
                rawOut.write(SENTINEL);
                rawOut.write(("{\"t\":\"r\",\"id\":" + id + ",\"i\":" + i + ",\"v\":" + (2 * x + 1) + "}\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            // On the protocol channel, a line that is not a frame is a protocol error.
            case NOISE_ON_CHANNEL -> out.write(("hostile noise " + Long.toString(random.nextLong(), 36) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            case TRUNCATED -> frame(good.substring(0, 1 + random.nextInt(good.length() - 1)));
            case TRUNCATED_THEN_FRAME -> {
                out.write(SENTINEL);
                out.write(good.substring(0, 1 + random.nextInt(good.length() - 1)).getBytes(StandardCharsets.US_ASCII));
                frame(good);
            }
            case UNKNOWN_TYPE -> frame("{\"t\":\"" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36)
                    + "\",\"id\":" + id + ",\"i\":" + i + ",\"v\":" + 2 * x + "}");
            case UNEXPECTED_KIND -> {
                String[] kinds = {"hello", "call", "def", "bye", "init", "cancel", "fatal"};
                String kind = kinds[random.nextInt(kinds.length)];
                frame("{\"t\":\"" + kind + "\",\"id\":" + id + ",\"i\":" + i + ",\"pid\":1,\"jdk\":\"x\",\"task\":1,"
                        + "\"err\":{\"c\":\"java.lang.Error\",\"m\":\"fake\",\"st\":[]},\"def\":{}}");
            }
            case WRONG_ID -> {
                long[] ids = {id + 1, id - 1, id + 1000, -1, random.nextLong() & Long.MAX_VALUE};
                frame("{\"t\":\"r\",\"id\":" + ids[random.nextInt(ids.length)] + ",\"i\":" + i + ",\"v\":" + 2 * x + "}");
            }
            case WRONG_POSITION -> {
                int[] positions = {i + 1, i - 1, i + 7, -1, Integer.MAX_VALUE};
                frame("{\"t\":\"r\",\"id\":" + id + ",\"i\":" + positions[random.nextInt(positions.length)]
                        + ",\"v\":" + 2 * x + "}");
            }
            case DUPLICATE -> {
                // The same answer twice: the second has no input left to go to.
                frame(good);
                frame(lastResult == null ? good : lastResult);
            }
            case DEEP_VALUE -> {
                int depth = 1000 + random.nextInt(20_000);
                frame("{\"t\":\"r\",\"id\":" + id + ",\"i\":" + i + ",\"v\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
            }
            case DEEP_UNKNOWN_FIELD -> {
                int depth = 1000 + random.nextInt(20_000);
                frame("{\"t\":\"r\",\"id\":" + id + ",\"i\":" + i + ",\"zz\":" + "{\"a\":".repeat(depth) + "1"
                        + "}".repeat(depth) + ",\"v\":" + 2 * x + "}");
            }
            case MISSING_VALUE -> frame("{\"t\":\"r\",\"id\":" + id + ",\"i\":" + i + "}");
            case SKIP_UNASKED -> frame("{\"t\":\"skip\",\"id\":" + id + ",\"i\":" + i + "}");
            case TIMEOUT_UNASKED -> frame("{\"t\":\"timeout\",\"id\":" + id + ",\"i\":" + i + ",\"st\":[]}");
            case OUTPUT_WITHOUT_TEXT -> frame("{\"t\":\"out\",\"s\":" + (1 + random.nextInt(2)) + "}");
            case WRONG_VALUE_TYPE -> frame("{\"t\":\"r\",\"id\":" + id + ",\"i\":" + i + ",\"v\":{\"not\":\"an int\"}}");
            case FAKE_ERROR -> frame("{\"t\":\"e\",\"id\":" + id + ",\"i\":" + i
                    + ",\"err\":{\"c\":\"hostile.Fake\",\"m\":\"made up\",\"st\":[[\"a\",\"b\",null,1]]}}");
            case HUGE_NUMBER -> frame("{\"t\":\"r\",\"id\":" + id + ",\"i\":99999999999999999999999,\"v\":1}");
            case OVERSIZED -> {
                out.write(SENTINEL);
                byte[] filler = new byte[64 * 1024];
                Arrays.fill(filler, (byte) 'x');
                for (int k = 0; k < 8; k++) {
                    out.write(filler);
                }
                out.write('\n');
            }
            case DIE_MID_FRAME -> {
                out.write(SENTINEL);
                out.write(good.substring(0, good.length() / 2).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Runtime.getRuntime().halt(3);
            }
            // A raw segment longer than maxPayloadBytes: refused from its header, before any allocation.
            case SEGMENT_OVERSIZED -> {
                long[] lengths = {Integer.MAX_VALUE, 1L << 40, Long.MAX_VALUE, 64L * 1024 * 1024 + 1};
                segmentHeader(random.nextInt(1000) + " " + lengths[random.nextInt(lengths.length)]);
                out.write(new byte[1024]);
            }
            case SEGMENT_MALFORMED -> {
                String[] headers = {"", "1", "x 1", "1 -5", "-1 5", "1 1 1", "1 " + "9".repeat(30)};
                segmentHeader(headers[random.nextInt(headers.length)]);
            }
            // The worker dies inside a segment: the parent must not wait for the rest.
            case SEGMENT_TRUNCATED -> {
                segmentHeader("0 100000");
                out.write(new byte[1 + random.nextInt(5000)]);
                out.flush();
                Runtime.getRuntime().halt(3);
            }
            // A well-formed segment no frame refers to: forgotten after the next frame.
            case SEGMENT_UNUSED -> {
                segmentHeader("7 3000");
                byte[] junk = new byte[3000];
                random.nextBytes(junk);
                out.write(junk);
            }
            // A typed segment (a list of numbers) where an Integer is expected, a ragged or missing
            // one, or one named twice: each a protocol error.
            case SEGMENT_TYPED -> {
                String[] values = {"\"\\u0001i0\"", "\"\\u0001l0\"", "\"\\u0001i\"", "\"\\u0001i9\"",
                    "[\"\\u0001i0\",\"\\u0001i0\"]"};
                int length = random.nextBoolean() ? 8 : 7;
                segmentHeader("0 " + length);
                out.write(new byte[length]);
                String value = values[random.nextInt(values.length)];
                frame(value.startsWith("[")
                        ? "{\"t\":\"rs\",\"id\":" + id + ",\"i\":" + i + ",\"vs\":" + value + "}"
                        : "{\"t\":\"r\",\"id\":" + id + ",\"i\":" + i + ",\"v\":" + value + "}");
            }
            // A results frame whose values are one typed segment (as a worker sends a run of Integer
            // results), but of the other width, ragged, missing, malformed, or not a reference.
            case SEGMENT_FRAME -> {
                String[] values = {"\"\\u0001l0\"", "\"\\u0001i0\"", "\"\\u0001i9\"", "\"\\u0001i\"",
                    "\"\\u0001i-1\"", "\"i0\""};
                String value = values[random.nextInt(values.length)];
                int length = value.equals("\"\\u0001i0\"") ? 7 : 8;
                segmentHeader("0 " + length);
                out.write(new byte[length]);
                frame("{\"t\":\"rs\",\"id\":" + id + ",\"i\":" + i + ",\"vs\":" + value + "}");
            }
            default -> throw new AssertionError(act);
        }
    }

    /** One endless line after the sentinel: the parent must give up at maxFrameBytes, not buffer it. */
    private void flood() throws IOException {
        out.write(SENTINEL);
        out.write("{\"t\":\"r\",\"id\":1,\"i\":0,\"v\":\"".getBytes(StandardCharsets.US_ASCII));
        byte[] filler = new byte[64 * 1024];
        Arrays.fill(filler, (byte) 'x');
        for (long written = 0; written < 1L << 30; written += filler.length) {
            out.write(filler); // ends when the parent kills this process
        }
        Runtime.getRuntime().halt(4);
    }

    private void segmentHeader(String text) throws IOException {
        out.write(SEGMENT);
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.write('\n');
    }

    private void frame(String json) throws IOException {
        out.write(SENTINEL);
        out.write(json.getBytes(StandardCharsets.US_ASCII));
        out.write('\n');
    }

    private static String find(Pattern pattern, String line) {
        Matcher m = pattern.matcher(line);
        if (!m.find()) {
            throw new IllegalStateException("no " + pattern + " in " + line);
        }
        return m.group(1);
    }
}
