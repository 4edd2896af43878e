package org.vitspark.checkpoint;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.vitspark.config.RunIdentity;

/**
 * May a checkpoint written under one resolved config continue under another? Keys that do not change
 * the trained bits ({@link RunIdentity#isFree}: where Spark runs, reader threads, logging cadence, the run
 * id) may differ; any other
 * difference is named, so a resumed run never silently mixes two experiments. A key the saved config
 * lacks (added by a later version) counts as equal when it has its reference default: defaults keep the
 * behaviour the key did not exist for (loss.patch.* = 0 is cross-entropy alone).
 */
public final class ResumeCheck {

    private ResumeCheck() {
    }

    /** Keys whose values differ between the two configs (HOCON text as saved), ignoring the free ones. */
    public static Set<String> differences(String saved, String current) {
        Map<String, ConfigValue> a = flat(ConfigFactory.parseString(saved));
        Map<String, ConfigValue> b = flat(ConfigFactory.parseString(current));
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        Set<String> diff = new TreeSet<>();
        Config reference = ConfigFactory.defaultReference(ResumeCheck.class.getClassLoader());
        for (String k : keys) {
            if (RunIdentity.isFree(k)) {
                continue;
            }
            ConfigValue x = a.get(k);
            ConfigValue y = b.get(k);
            if (x == null && y != null && reference.hasPath(k)
                    && reference.getValue(k).unwrapped().equals(y.unwrapped())) {
                continue;
            }
            if (x == null || y == null || !x.unwrapped().equals(y.unwrapped())) {
                diff.add(k);
            }
        }
        return diff;
    }

    private static Map<String, ConfigValue> flat(Config c) {
        Map<String, ConfigValue> m = new java.util.HashMap<>();
        for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }
}
