package org.vitspark.data.shard;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Class names ↔ label indices, in sorted name order: for ImageNet the sorted WNIDs give the 0..999
 * indices torchvision and timm use (docs/shard-format.md, "Odd files").
 */
public final class Vocabulary implements Serializable {

    private final List<String> names;
    private final Map<String, Integer> index = new TreeMap<>();

    private Vocabulary(List<String> names) {
        this.names = List.copyOf(names);
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
    }

    /** The sorted distinct names. */
    public static Vocabulary of(Collection<String> classNames) {
        return new Vocabulary(new ArrayList<>(new TreeSet<>(classNames)));
    }

    /** Names in index order, as given (for vocabularies with a fixed order, e.g. idx files' 0..9). */
    public static Vocabulary ordered(List<String> names) {
        return new Vocabulary(names);
    }

    public int label(String className) {
        Integer i = index.get(className);
        if (i == null) {
            throw new IllegalArgumentException("class " + className + " is not in the vocabulary");
        }
        return i;
    }

    public String name(int label) {
        return names.get(label);
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }
}
