package org.vitspark.model.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deterministic half of {@link KernelsKeepInputsAliveTest}: that test catches a kernel touching freed
 * memory only when the collector and ND4J's deallocator happen to run inside the kernel's window, which
 * for a one-shot write (a 50-float dGamma) is a few hundred nanoseconds, rare enough that the stress
 * loop passed while a CI run aborted on the heap corruption. This reads the kernels' sources instead:
 * every array a method takes a direct buffer or pointer of must appear in a {@link Host#keep} later in
 * the same method (one-shot copies go through {@link Host#read} and {@link Host#write}, which keep).
 */
class HostBuffersKeptTest {

    private static final Path OPS = Path.of("src/main/java/org/vitspark/model/ops");
    /** Host.buf(x), Host.ptr(cache.probs()): the array's root variable is the first identifier. */
    private static final Pattern ACCESS = Pattern.compile("Host\\.(?:buf|ptr)\\((\\w+)");
    private static final Pattern KEEP = Pattern.compile("Host\\.keep\\(([^;]*)\\);");
    /** A method of a top-level class closes at four spaces of indentation. */
    private static final Pattern METHOD_END = Pattern.compile("(?m)^    }$");

    @Test
    void everyBufferedArrayIsKeptLaterInItsMethod() throws IOException {
        List<String> unkept = new ArrayList<>();
        int accesses = 0;
        try (var files = Files.list(OPS)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String src = Files.readString(p);
                Matcher m = ACCESS.matcher(src);
                while (m.find()) {
                    accesses++;
                    Matcher end = METHOD_END.matcher(src);
                    int stop = end.find(m.end()) ? end.start() : src.length();
                    if (!keptBetween(src.substring(m.end(), stop), m.group(1))) {
                        int line = (int) src.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                        unkept.add(p.getFileName() + ":" + line + " " + m.group(1));
                    }
                }
            }
        }
        assertTrue(accesses > 30, "read the kernels' sources: " + accesses + " buffer accesses found");
        assertEquals(List.of(), unkept, "arrays whose buffers are used with no Host.keep after them");
    }

    @Test
    void theCheckFindsAnUnkeptOneShotWrite() {
        String body = "(dGamma).put(0, sums);\n        Host.keep(dy, dx);\n";
        assertEquals(false, keptBetween(body, "dGamma"));
        assertEquals(true, keptBetween(body, "dy"));
        assertEquals(false, keptBetween(body, "d"), "whole names only");
    }

    private static boolean keptBetween(String body, String array) {
        Matcher k = KEEP.matcher(body);
        while (k.find()) {
            for (String arg : k.group(1).split(",")) {
                if (arg.strip().equals(array)) {
                    return true;
                }
            }
        }
        return false;
    }
}
