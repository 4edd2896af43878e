package org.vitspark.metrics;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * A TensorBoard event file of scalar summaries, written without TensorFlow. The file is a TFRecord
 * stream (each record: uint64 length, masked CRC-32C of the length, payload, masked CRC-32C of the
 * payload, all little-endian) of {@code tensorflow.Event} protocol buffers: field 1 wall_time (double),
 * 2 step (int64), 3 file_version (string, first record "brain.Event:2"), 5 summary; a Summary holds
 * Values with field 1 tag (string) and 2 simple_value (float). These are the fields TensorBoard's scalar
 * dashboard reads (tensorflow/core/util/event.proto, summary.proto; tensorboard's record reader).
 */
public final class TensorBoardEvents {

    private static final int MASK_DELTA = 0xa282ead8;

    private final ByteArrayOutputStream file = new ByteArrayOutputStream();

    /** A new file whose first record carries the format version, as TensorFlow's writer does. */
    public TensorBoardEvents(double wallTime) {
        ByteArrayOutputStream event = new ByteArrayOutputStream();
        doubleField(event, 1, wallTime);
        bytesField(event, 3, "brain.Event:2".getBytes(StandardCharsets.UTF_8));
        record(event.toByteArray());
    }

    /** Appends one scalar point. */
    public synchronized void scalar(String tag, long step, double value, double wallTime) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        bytesField(v, 1, tag.getBytes(StandardCharsets.UTF_8));
        tag(v, 2, 5);
        v.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat((float) value).array());
        ByteArrayOutputStream summary = new ByteArrayOutputStream();
        bytesField(summary, 1, v.toByteArray());
        ByteArrayOutputStream event = new ByteArrayOutputStream();
        doubleField(event, 1, wallTime);
        tag(event, 2, 0);
        varint(event, step);
        bytesField(event, 5, summary.toByteArray());
        record(event.toByteArray());
    }

    /** The whole file so far. */
    public synchronized byte[] bytes() {
        return file.toByteArray();
    }

    private void record(byte[] payload) {
        byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(payload.length).array();
        file.writeBytes(length);
        file.writeBytes(le32(maskedCrc(length)));
        file.writeBytes(payload);
        file.writeBytes(le32(maskedCrc(payload)));
    }

    /** TFRecord's CRC: CRC-32C rotated right by 15 bits plus a constant (so CRCs of CRCs stay useful). */
    public static int maskedCrc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static void tag(ByteArrayOutputStream out, int field, int wireType) {
        varint(out, ((long) field << 3) | wireType);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static void doubleField(ByteArrayOutputStream out, int field, double v) {
        tag(out, field, 1);
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(v).array());
    }

    private static void bytesField(ByteArrayOutputStream out, int field, byte[] v) {
        tag(out, field, 2);
        varint(out, v.length);
        out.writeBytes(v);
    }
}
