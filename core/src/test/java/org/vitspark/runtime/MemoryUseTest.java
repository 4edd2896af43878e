package org.vitspark.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The memory line names its figures, and the resident set sees a new ND4J array's memory. */
class MemoryUseTest {

    private static final Pattern LINE = Pattern.compile("heap (\\d+\\.\\d) of (\\d+\\.\\d) GB, resident (\\d+\\.\\d) GB");

    private static double resident(String line) {
        Matcher m = LINE.matcher(line);
        assertTrue(m.matches(), line);
        assertTrue(Double.parseDouble(m.group(1)) <= Double.parseDouble(m.group(2)), "used <= committed: " + line);
        return Double.parseDouble(m.group(3));
    }

    @Test
    void residentSetSeesAnNd4jArray() {
        double before = resident(MemoryUse.line());
        INDArray big = Nd4j.zeros(DataType.FLOAT, 1L << 28).addi(1); // 1 GB, every page written
        double after = resident(MemoryUse.line());
        assertTrue(after - before >= 0.9, "resident set grew by a 1 GB array: " + before + " -> " + after);
        big.close();
    }
}
