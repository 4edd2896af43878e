package org.vitspark.objective;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a network trains on, as data: weighted terms, each a name and its options. It travels inside the
 * DL4J layer configuration (JSON in model.zip, Kryo to executors) as one line of text, like the model's
 * spec, and {@link Objectives#build} turns it into an {@link Objective}.
 *
 * @param terms the terms, summed with their weights
 */
public record ObjectiveSpec(List<Term> terms) implements java.io.Serializable {

    /**
     * @param name a built-in objective ({@code ce}) or the class name of an {@link Objective} with a
     *             constructor (ModelSpec, Map&lt;String, String&gt;)
     * @param options sorted, so the encoding is the same in every JVM
     */
    public record Term(String name, double weight, Map<String, String> options) implements java.io.Serializable {
        public Term {
            if (!TOKEN.matcher(name).matches()) {
                throw new IllegalArgumentException("objective name must match " + TOKEN + ": " + name);
            }
            options = new TreeMap<>(options);
            options.forEach((k, v) -> {
                if (!TOKEN.matcher(k).matches() || !TOKEN.matcher(v).matches()) {
                    throw new IllegalArgumentException("objective option must be key=value of " + TOKEN + ": " + k + "=" + v);
                }
            });
        }
    }

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.+-]+");

    public ObjectiveSpec {
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("an objective needs at least one term");
        }
        terms = List.copyOf(terms);
    }

    /** Softmax cross-entropy with label smoothing alone: the classification objective. */
    public static ObjectiveSpec crossEntropy(double labelSmoothing) {
        return new ObjectiveSpec(List.of(new Term(CrossEntropy.NAME, 1.0,
                Map.of("smoothing", Double.toString(labelSmoothing)))));
    }

    /** {@code name:weight:k=v,k=v;name:weight:...}; {@link #decode} reverses it. */
    public String encode() {
        List<String> parts = new ArrayList<>();
        for (Term t : terms) {
            List<String> opts = new ArrayList<>();
            t.options().forEach((k, v) -> opts.add(k + "=" + v));
            parts.add(t.name() + ":" + t.weight() + ":" + String.join(",", opts));
        }
        return String.join(";", parts);
    }

    public static ObjectiveSpec decode(String text) {
        List<Term> terms = new ArrayList<>();
        for (String part : text.split(";")) {
            String[] f = part.split(":", -1);
            if (f.length != 3) {
                throw new IllegalArgumentException("not an encoded objective: " + text);
            }
            Map<String, String> options = new TreeMap<>();
            for (String kv : f[2].isEmpty() ? new String[0] : f[2].split(",")) {
                String[] e = kv.split("=", 2);
                if (e.length != 2) {
                    throw new IllegalArgumentException("not an encoded objective option: " + kv + " in " + text);
                }
                options.put(e[0], e[1]);
            }
            terms.add(new Term(f[0], Double.parseDouble(f[1]), options));
        }
        return new ObjectiveSpec(terms);
    }
}
