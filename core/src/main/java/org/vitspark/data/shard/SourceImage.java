package org.vitspark.data.shard;

import java.io.Serializable;

/**
 * One input file of a preprocessing run: where it is, the class it belongs to and the key it keeps in
 * the shards (its path relative to the input root, so keys are stable across machines and re-runs).
 */
public record SourceImage(String path, String key, String className) implements Serializable {
}
