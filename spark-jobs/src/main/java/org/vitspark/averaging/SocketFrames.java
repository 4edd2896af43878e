package org.vitspark.averaging;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.spark.RawArrays;

/**
 * The messages of {@link RoundSegment}'s connection between the driver and a worker task. A worker opens
 * with a hello (the segment's token, its worker index); each round the driver sends the round's task with
 * the parameters and updater state to start from, or a stop; the worker answers with its report and its
 * parameters and updater state. Arrays travel as their raw float bytes in native order, straight from and
 * into ND4J's off-heap buffers (drivers and executors share the byte order: x86-64 and aarch64 are
 * little-endian); the small objects (task, report) as Java serialisation.
 */
final class SocketFrames {

    /** "VSR1": a vitspark round segment, version 1. */
    static final int MAGIC = 0x56535231;
    static final int TOKEN_BYTES = 16;
    private static final byte STOP = 0;
    private static final byte ROUND = 1;
    /** An array that is not there (no updater state, no contribution). */
    private static final long ABSENT = -1;

    private SocketFrames() {
    }

    /** The driver's round message: the task, and the state to start from (null = stop). */
    record Start(WorkerTask task, INDArray params, INDArray updater) {
    }

    /** The first message of a worker's connection. */
    record Hello(byte[] token, int worker) {
    }

    static void writeHello(WritableByteChannel ch, byte[] token, int worker) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + TOKEN_BYTES + 4);
        b.putInt(MAGIC).put(token).putInt(worker).flip();
        writeFully(ch, b);
    }

    static Hello readHello(ReadableByteChannel ch) throws IOException {
        ByteBuffer b = readFully(ch, ByteBuffer.allocate(4 + TOKEN_BYTES + 4));
        if (b.getInt() != MAGIC) {
            throw new IOException("not a vitspark round-segment connection (wrong magic number)");
        }
        byte[] token = new byte[TOKEN_BYTES];
        b.get(token);
        return new Hello(token, b.getInt());
    }

    static void writeStop(WritableByteChannel ch) throws IOException {
        writeFully(ch, ByteBuffer.wrap(new byte[] {STOP}));
    }

    static void writeStart(WritableByteChannel ch, WorkerTask task, INDArray params, INDArray updater)
            throws IOException {
        writeFully(ch, ByteBuffer.wrap(new byte[] {ROUND}));
        writeObject(ch, task);
        writeArray(ch, params);
        writeArray(ch, updater);
    }

    /**
     * The next round's message, its arrays read into {@code params} and {@code updater} when their sizes
     * match (a worker reuses its buffers), else into new ones; null for a stop.
     */
    static Start readStart(ReadableByteChannel ch, INDArray params, INDArray updater) throws IOException {
        byte kind = readFully(ch, ByteBuffer.allocate(1)).get();
        if (kind == STOP) {
            return null;
        }
        if (kind != ROUND) {
            throw new IOException("unknown round-segment message kind " + kind);
        }
        WorkerTask task = (WorkerTask) readObject(ch);
        return new Start(task, readArray(ch, params), readArray(ch, updater));
    }

    /** A worker's answer: its report, and its parameters and updater state when it contributes. */
    static void writeResult(WritableByteChannel ch, PartialSum leaf) throws IOException {
        writeObject(ch, leaf.reports.firstEntry().getValue());
        writeArray(ch, leaf.contributors > 0 ? leaf.params : null);
        writeArray(ch, leaf.contributors > 0 ? leaf.updater : null);
    }

    /** Reads a worker's answer as the leaf {@link PartialSum} the Spark-job path would have returned. */
    static PartialSum readResult(ReadableByteChannel ch, INDArray params, INDArray updater) throws IOException {
        WorkerReport report = (WorkerReport) readObject(ch);
        INDArray p = readArray(ch, params);
        INDArray u = readArray(ch, updater);
        return PartialSum.of(report, p, p == null ? null : u);
    }

    private static void writeObject(WritableByteChannel ch, Serializable o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        ByteBuffer b = ByteBuffer.allocate(4 + bytes.size());
        b.putInt(bytes.size()).put(bytes.toByteArray()).flip();
        writeFully(ch, b);
    }

    private static Object readObject(ReadableByteChannel ch) throws IOException {
        int n = readFully(ch, ByteBuffer.allocate(4)).getInt();
        ByteBuffer b = readFully(ch, ByteBuffer.allocate(n));
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.array()))) {
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException("round-segment message of an unknown class", e);
        }
    }

    /** A float array as its element count and raw bytes; null as ABSENT. */
    private static void writeArray(WritableByteChannel ch, INDArray a) throws IOException {
        if (a == null) {
            writeFully(ch, ByteBuffer.allocate(8).putLong(0, ABSENT));
            return;
        }
        INDArray c = RawArrays.contiguous(a);
        if (c.dataType() != DataType.FLOAT) {
            throw new IOException("round segments send float arrays, got " + c.dataType());
        }
        writeFully(ch, ByteBuffer.allocate(8).putLong(0, c.length()));
        writeFully(ch, RawArrays.bytes(c));
        // The direct buffer does not keep c (maybe a fresh dup) alive, and ND4J frees an unreachable array's memory.
        Reference.reachabilityFence(c);
    }

    /** Reads an array into {@code into} when it has the length that arrives, else into a new row vector. */
    private static INDArray readArray(ReadableByteChannel ch, INDArray into) throws IOException {
        long n = readFully(ch, ByteBuffer.allocate(8)).getLong();
        if (n == ABSENT) {
            return null;
        }
        INDArray a = into != null && into.length() == n && !into.isView() ? into
                : Nd4j.createUninitialized(DataType.FLOAT, 1, n);
        ByteBuffer raw = RawArrays.bytes(a);
        raw.limit(Math.toIntExact(n * Float.BYTES));
        readFully(ch, raw);
        return a;
    }

    private static void writeFully(WritableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static ByteBuffer readFully(ReadableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new EOFException("round-segment connection closed mid-message");
            }
        }
        b.flip();
        return b;
    }
}
