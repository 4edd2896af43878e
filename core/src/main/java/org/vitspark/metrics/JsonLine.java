package org.vitspark.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/** One flat JSON object on one line (metrics.jsonl rows): string, integer and floating-point fields in insertion order. */
public final class JsonLine {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    public JsonLine put(String key, Object value) {
        if (!(value == null || value instanceof Number || value instanceof String || value instanceof Boolean)) {
            throw new IllegalArgumentException(key + ": unsupported JSON value type " + value.getClass());
        }
        fields.put(key, value);
        return this;
    }

    /** The fields in insertion order (read-only). */
    public Map<String, Object> fields() {
        return java.util.Collections.unmodifiableMap(fields);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (s.length() > 1) {
                s.append(',');
            }
            quote(s, e.getKey());
            s.append(':');
            Object v = e.getValue();
            if (v instanceof String str) {
                quote(s, str);
            } else if (v instanceof Double d && !Double.isFinite(d) || v instanceof Float f && !Float.isFinite(f)) {
                quote(s, String.valueOf(v)); // JSON has no NaN/Infinity literals
            } else {
                s.append(v);
            }
        }
        return s.append('}').toString();
    }

    private static void quote(StringBuilder s, String text) {
        s.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
    }
}
