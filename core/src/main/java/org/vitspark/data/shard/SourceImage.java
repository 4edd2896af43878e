package org.vitspark.data.shard;

import java.io.Serializable;
import java.util.Objects;

/**
 * One input file of a preprocessing run: where it is, the class it belongs to and the key it keeps in
 * the shards (its path relative to the input root, so keys are stable across machines and re-runs).
 * A plain class, not a record: Spark's Kryo cannot serialise records.
 */
public final class SourceImage implements Serializable {

    private final String path;
    private final String key;
    private final String className;

    public SourceImage(String path, String key, String className) {
        this.path = path;
        this.key = key;
        this.className = className;
    }

    public String path() {
        return path;
    }

    public String key() {
        return key;
    }

    public String className() {
        return className;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceImage s && path.equals(s.path) && key.equals(s.key) && className.equals(s.className);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, key, className);
    }

    @Override
    public String toString() {
        return key + " (" + className + ")";
    }
}
