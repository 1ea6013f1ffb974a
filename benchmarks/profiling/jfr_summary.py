#!/usr/bin/env python3
"""Summarises the JFR recordings of one profiled row (parent.jfr and w/*.jfr in DIR).

Usage: jfr_summary.py DIR [SINCE]; SINCE (ISO-8601 UTC) drops the samples taken before it (the
pool's start). Per JVM side: execution samples by thread, by category (the first frame from the top
that matches a category; "other" when none does), the share whose top frame runs interpreted, the
top self frames, pool4j frames inclusive, and where threads sat in native code.

Standard library only; needs the JDK's jfr tool ($JFR, else jfr on the PATH).
"""
import json, subprocess, sys, re, collections, glob, os
JFR = os.environ.get("JFR", "jfr")

CATS = [
    ("base64", ["Base64", "_writeBinary", "_decodeBase64", "_loadMoreForBase64", "_readBinary", "getBinaryValue"]),
    ("copies/buffers", ["Arrays.copyOf", "System.arraycopy", "ByteArrayOutputStream", "ByteArrayBuilder", "Buffer.ensure",
                        "LineReader.append", "String.<init>", "StringLatin1", "StringUTF16", "String.getBytes", "TextBuffer",
                        "Unsafe.copyMemory", "Arrays.fill", "ArraysSupport"]),
    ("JSON encode", ["JsonGenerator", "databind.ser", "ObjectWriter", "ObjectMapper.write", "CharTypes"]),
    ("JSON decode", ["JsonParser", "databind.deser", "NumberInput", "ObjectReader", "ObjectMapper.read", "JsonNode", "ByteQuadsCanonicalizer"]),
    ("pipe I/O (Java side)", ["FileOutputStream", "FileInputStream", "FileDispatcher", "BufferedInputStream", "BufferedOutputStream",
                    "ProcessPipe", "PipedInputStream"]),
    ("hand-off / wake-up", ["LockSupport", "AbstractQueuedSynchronizer", "CompletableFuture", "LinkedBlockingQueue",
                            "ConcurrentLinkedQueue", "ArrayBlockingQueue", "ReentrantLock", "Condition", "ForkJoin", "ThreadPoolExecutor.getTask",
                            "SynchronousQueue", "Object.wait", "Object.notify"]),
    ("class loading / linking / reflection", ["ClassLoader", "zip.", "classfile", "MethodHandle", "LambdaForm", "java.lang.invoke", "Class.forName",
                                  "reflect", "ModuleLayer", "jdk.internal.loader", "URLClassPath", "BuiltinClassLoader"]),
    ("JFR", ["jdk.jfr"]),
    ("benchmark driver", ["java.util.Random", "Workloads.payload", "Workloads.range"]),
    ("boxing / collections", ["Integer.valueOf", "ArrayList", "HashMap", "Collections"]),
]

def frame_name(f):
    m = f["method"]
    return m["type"]["name"] + "." + m["name"]

# Matched anywhere on the stack before CATS: work done for a whole call, whatever it calls.
WHOLE_STACK = [
    ("task definition shipped/loaded per call", ["TaskDefinition"]),
]


def category(frames):
    names = [frame_name(f) for f in frames]
    for cat, keys in WHOLE_STACK:
        if any(k in n for n in names for k in keys):
            return cat
    # Most specific first: the top frame; then walk down until a frame matches.
    for name in names:
        for cat, keys in CATS:
            if any(k in name for k in keys):
                return cat
    if any("pool4j" in n and "benchmarks" not in n for n in names):
        return "pool4j bookkeeping (no category above)"
    return "other"

def thread_group(name):
    name = re.sub(r"\d+", "N", name or "?")
    return name

def load(path, event):
    out = subprocess.run([JFR, "print", "--json", "--stack-depth", "64", "--events", event, path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]

SINCE = ""

def summarise(paths, label, top=15):
    samples = []
    native = []
    for p in paths:
        samples += load(p, "jdk.ExecutionSample")
        native += load(p, "jdk.NativeMethodSample")
    # ISO-8601 UTC strings compare as text; drop the samples of the pool's start.
    samples = [e for e in samples if e["values"]["startTime"][:23] >= SINCE[:23]]
    native = [e for e in native if e["values"]["startTime"][:23] >= SINCE[:23]]
    n = len(samples)
    print(f"## {label}: {n} execution samples (Java code running), {len(native)} native-method samples, files: {len(paths)}")
    if n == 0:
        return
    by_thread = collections.Counter(thread_group(e["values"]["sampledThread"]["javaName"]) for e in samples)
    print("threads: " + ", ".join(f"{t} {c*100/n:.0f}%" for t, c in by_thread.most_common(8)))
    cats = collections.Counter(category(e["values"]["stackTrace"]["frames"]) for e in samples)
    print("categories: " + ", ".join(f"{c} {k*100/n:.0f}%" for c, k in cats.most_common()))
    interp = sum(1 for e in samples if e["values"]["stackTrace"]["frames"] and e["values"]["stackTrace"]["frames"][0].get("type") == "Interpreted")
    print(f"top frame interpreted: {interp*100/n:.0f}%")
    selfc = collections.Counter(frame_name(e["values"]["stackTrace"]["frames"][0]) for e in samples if e["values"]["stackTrace"]["frames"])
    print("top self frames:")
    for name, c in selfc.most_common(top):
        print(f"  {c*100/n:5.1f}%  {name}")
    # pool4j frames anywhere on the stack (inclusive)
    incl = collections.Counter()
    for e in samples:
        seen = set()
        for f in e["values"]["stackTrace"]["frames"]:
            nm = frame_name(f)
            if "pool4j" in nm and nm not in seen:
                seen.add(nm); incl[nm] += 1
    print("pool4j frames, inclusive:")
    for name, c in incl.most_common(10):
        print(f"  {c*100/n:5.1f}%  {name}")
    nt = collections.Counter()
    for e in native:
        fr = e["values"]["stackTrace"]["frames"]
        nt[(thread_group(e["values"]["sampledThread"]["javaName"]), frame_name(fr[0]) if fr else "?")] += 1
    print("native (blocked/in syscall) samples by thread and frame:")
    for (t, f), c in nt.most_common(6):
        print(f"  {c:4d}  {t}  {f}")

if __name__ == "__main__":
    d = sys.argv[1]
    SINCE = sys.argv[2] if len(sys.argv) > 2 else ""
    summarise([os.path.join(d, "parent.jfr")], d + " parent")
    ws = sorted(glob.glob(os.path.join(d, "w", "*.jfr")))
    summarise(ws, d + " workers")

def stacks_with(paths, needle, since="", limit=3, depth=14):
    c = collections.Counter()
    for p in paths:
        for e in load(p, "jdk.ExecutionSample"):
            if e["values"]["startTime"][:23] < since[:23]:
                continue
            fr = e["values"]["stackTrace"]["frames"]
            names = [frame_name(f) for f in fr]
            if any(needle in n for n in names):
                c[" <- ".join(n.split("/")[-1] for n in names[:depth])] += 1
    for s, k in c.most_common(limit):
        print(k, s)
