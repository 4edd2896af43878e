package org.vitspark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.protobuf.CodedInputStream;

/**
 * Decodes the event file back with an independent protobuf reader (ND4J's shaded protobuf-java) and
 * TFRecord framing checks, as TensorBoard's loader would.
 */
class TensorBoardEventsTest {

    record Point(double wallTime, long step, String version, String tag, float value) {
    }

    @Test
    void scalarsDecodeBackWithValidFraming() throws Exception {
        TensorBoardEvents events = new TensorBoardEvents(1700000000.5);
        events.scalar("train/loss", 1, 2.25, 1700000001.0);
        events.scalar("train/lr", 300, 1e-3, 1700000002.0);
        events.scalar("eval/top1", 1L << 40, 0.875, 1700000003.0);

        List<Point> points = decode(events.bytes());
        assertEquals(4, points.size());
        assertEquals(new Point(1700000000.5, 0, "brain.Event:2", null, 0f), points.get(0));
        assertEquals(new Point(1700000001.0, 1, null, "train/loss", 2.25f), points.get(1));
        assertEquals(new Point(1700000002.0, 300, null, "train/lr", 1e-3f), points.get(2));
        assertEquals(new Point(1700000003.0, 1L << 40, null, "eval/top1", 0.875f), points.get(3));
    }

    @Test
    void maskedCrcMatchesTensorFlowsKnownValue() {
        // CRC-32C("123456789") = 0xE3069283 (RFC 3720's check value); masked as TFRecord does.
        int crc = 0xE3069283;
        int masked = ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
        assertEquals(masked, TensorBoardEvents.maskedCrc("123456789".getBytes()));
    }

    static List<Point> decode(byte[] file) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<Point> out = new ArrayList<>();
        while (b.hasRemaining()) {
            byte[] len = new byte[8];
            b.get(len);
            assertEquals(TensorBoardEvents.maskedCrc(len), b.getInt(), "length CRC");
            long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
            byte[] payload = new byte[(int) n];
            b.get(payload);
            assertEquals(TensorBoardEvents.maskedCrc(payload), b.getInt(), "payload CRC");
            out.add(event(payload));
        }
        assertTrue(out.size() > 0);
        return out;
    }

    private static Point event(byte[] payload) throws Exception {
        CodedInputStream in = CodedInputStream.newInstance(payload);
        double wall = 0;
        long step = 0;
        String version = null;
        String tag = null;
        float value = 0;
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            switch (t) {
                case 0x09 -> wall = in.readDouble();
                case 0x10 -> step = in.readInt64();
                case 0x1A -> version = in.readString();
                case 0x2A -> {
                    CodedInputStream summary = CodedInputStream.newInstance(in.readByteArray());
                    for (int s = summary.readTag(); s != 0; s = summary.readTag()) {
                        assertEquals(0x0A, s, "Summary.value");
                        CodedInputStream v = CodedInputStream.newInstance(summary.readByteArray());
                        for (int f = v.readTag(); f != 0; f = v.readTag()) {
                            if (f == 0x0A) {
                                tag = v.readString();
                            } else if (f == 0x15) {
                                value = v.readFloat();
                            } else {
                                throw new AssertionError("unexpected Value field tag " + f);
                            }
                        }
                    }
                }
                default -> throw new AssertionError("unexpected Event field tag " + t + " in " + Arrays.toString(payload));
            }
        }
        return new Point(wall, step, version, tag, value);
    }
}
