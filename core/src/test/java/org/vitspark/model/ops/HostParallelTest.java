package org.vitspark.model.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A failing chunk does not let Host.parallel return while other chunks still run (they read the caller's arrays). */
class HostParallelTest {

    @Test
    void aFailureIsThrownOnlyAfterEveryChunkFinished() {
        assumeTrue(Host.threads() > 1, "needs more than one ND4J thread");
        AtomicInteger finished = new AtomicInteger();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Host.parallel(100,
                (chunk, from, to) -> {
                    if (chunk == 0) {
                        throw new IllegalArgumentException("chunk 0 fails at once");
                    }
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                    finished.incrementAndGet();
                }));
        assertEquals("chunk 0 fails at once", e.getMessage());
        assertEquals(Host.chunks(100) - 1, finished.get(), "the other chunks had finished when it was thrown");
        IllegalStateException wrapped = assertThrows(IllegalStateException.class, () -> Host.parallel(100,
                (chunk, from, to) -> {
                    if (chunk == 1) {
                        sneaky(new java.io.IOException("checked"));
                    }
                }));
        assertEquals("checked", wrapped.getCause().getMessage());
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
