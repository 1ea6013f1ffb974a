package io.github.pool4j.process.reliability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Tasks and values that JSON or exception handling find hard; shipped to workers by method reference. */
final class BadTasks {

    private BadTasks() {}

    static String describe(String s) {
        return s == null ? "<null>" : "[" + s + "]";
    }

    static int length(String s) {
        return s.length();
    }

    static String same(String s) {
        return s;
    }

    static Double sameDouble(Double d) {
        return d;
    }

    static List<Double> sameDoubles(List<Double> d) {
        return d;
    }

    static int partCount(Blob blob) {
        return blob.parts().size();
    }

    static String nodeName(Node node) {
        return node.getName();
    }

    static Node loop(String name) {
        Node node = new Node();
        node.setName(name);
        node.setNext(node);
        return node;
    }

    /** Says it returns numbers, returns strings: erasure lets it through the cast. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static List<Integer> notNumbers(Integer n) {
        List raw = new ArrayList();
        raw.add("not a number " + n);
        return raw;
    }

    static String throwWeird(String s) {
        throw new MessageThrows();
    }

    static String throwCycle(String s) {
        IllegalStateException a = new IllegalStateException("a " + s);
        IllegalArgumentException b = new IllegalArgumentException("b " + s);
        a.initCause(b);
        b.initCause(a);
        throw a;
    }

    static String throwSurrogate(String s) {
        throw new IllegalStateException("lone \uD800 surrogate " + s);
    }

    static String loneSurrogate(String s) {
        return s + "\uDC00";
    }

    /** An exception whose every message accessor throws. */
    static final class MessageThrows extends RuntimeException {
        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            throw new UnsupportedOperationException("no message for you");
        }
    }

    /** A large input that is small in memory: the same part many times. */
    record Blob(List<String> parts) {
        static Blob ofMegabytes(int megabytes) {
            String part = "x".repeat(1024 * 1024 - 3);
            return new Blob(Collections.nCopies(megabytes, part));
        }
    }

    /** A bean that can point to itself. */
    public static final class Node {
        private String name;
        private Node next;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public Node getNext() {
            return next;
        }

        public void setNext(Node next) {
            this.next = next;
        }
    }
}
