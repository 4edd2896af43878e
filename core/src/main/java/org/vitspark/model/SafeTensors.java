package org.vitspark.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The safetensors file format (huggingface/safetensors): an 8-byte little-endian header length, a JSON
 * header {name: {dtype, shape, data_offsets}, "__metadata__": {string: string}}, then the raw
 * little-endian tensor bytes. timm and PyTorch load it directly; F32 and F64 are supported here.
 */
public final class SafeTensors {

    /** Tensors in file order, and the string metadata. */
    public record Contents(Map<String, INDArray> tensors, Map<String, String> metadata) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {
    }

    public static Contents read(InputStream in, String source) throws IOException {
        byte[] len = in.readNBytes(8);
        if (len.length < 8) {
            throw new IOException(source + ": not a safetensors file (shorter than 8 bytes)");
        }
        long headerLength = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER) {
            throw new IOException(source + ": not a safetensors file (header length " + headerLength + ")");
        }
        JsonNode header = JSON.readTree(new String(in.readNBytes((int) headerLength), StandardCharsets.UTF_8));
        byte[] data = in.readAllBytes();
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            tensors.put(e.getKey(), tensor(e.getKey(), e.getValue(), data, source));
        }
        return new Contents(tensors, metadata);
    }

    private static INDArray tensor(String name, JsonNode spec, byte[] data, String source) throws IOException {
        String dtype = spec.get("dtype").asText();
        List<Long> shape = new ArrayList<>();
        spec.get("shape").forEach(s -> shape.add(s.asLong()));
        long begin = spec.get("data_offsets").get(0).asLong();
        long end = spec.get("data_offsets").get(1).asLong();
        if (begin < 0 || end > data.length || begin > end) {
            throw new IOException(source + ": tensor " + name + " has data offsets [" + begin + ", " + end
                    + ") outside the " + data.length + "-byte data section");
        }
        ByteBuffer b = ByteBuffer.wrap(data, (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
        INDArray flat = switch (dtype) {
            case "F64" -> {
                double[] v = new double[(int) ((end - begin) / 8)];
                b.asDoubleBuffer().get(v);
                yield Nd4j.createFromArray(v);
            }
            case "F32" -> {
                float[] v = new float[(int) ((end - begin) / 4)];
                b.asFloatBuffer().get(v);
                yield Nd4j.createFromArray(v);
            }
            default -> throw new IOException(source + ": tensor " + name + " has dtype " + dtype
                    + "; only F32 and F64 are supported");
        };
        return dims.length == 0 ? flat.reshape() : flat.reshape('c', dims);
    }

    /** Writes tensors in map order, each in its own data type (float or double). */
    public static void write(OutputStream out, Map<String, INDArray> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        metadata.forEach(meta::put);
        List<byte[]> blobs = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            INDArray t = e.getValue();
            boolean dbl = t.dataType() == DataType.DOUBLE;
            INDArray flat = t.dup('c').reshape(t.length());
            ByteBuffer b = ByteBuffer.allocate((int) t.length() * (dbl ? 8 : 4)).order(ByteOrder.LITTLE_ENDIAN);
            if (dbl) {
                b.asDoubleBuffer().put(flat.data().asDouble()); // flat is a fresh c-order copy
            } else {
                b.asFloatBuffer().put(flat.castTo(DataType.FLOAT).data().asFloat());
            }
            ObjectNode node = header.putObject(e.getKey());
            node.put("dtype", dbl ? "F64" : "F32");
            var shape = node.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            node.putArray("data_offsets").add(offset).add(offset + b.capacity());
            offset += b.capacity();
            blobs.add(b.array());
        }
        byte[] text = JSON.writeValueAsBytes(header);
        int padded = (text.length + 7) / 8 * 8;
        byte[] headerBytes = new byte[padded];
        java.util.Arrays.fill(headerBytes, (byte) ' ');
        System.arraycopy(text, 0, headerBytes, 0, text.length);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.write(headerBytes);
        for (byte[] blob : blobs) {
            out.write(blob);
        }
    }
}
