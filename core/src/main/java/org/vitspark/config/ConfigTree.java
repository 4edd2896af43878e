package org.vitspark.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Walks a config tree including null leaves, which {@code Config.entrySet()} leaves out. */
final class ConfigTree {

    private ConfigTree() {
    }

    /** Every leaf (and null) below {@code root}, by dotted path (path elements quoted where needed). */
    static Map<String, ConfigValue> leaves(ConfigObject root) {
        Map<String, ConfigValue> out = new LinkedHashMap<>();
        walk(root, new ArrayList<>(), out);
        return out;
    }

    private static void walk(ConfigObject object, List<String> prefix, Map<String, ConfigValue> out) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(e.getKey());
            if (e.getValue().valueType() == ConfigValueType.OBJECT && !((ConfigObject) e.getValue()).isEmpty()) {
                walk((ConfigObject) e.getValue(), path, out);
            } else {
                out.put(ConfigUtil.joinPath(path), e.getValue());
            }
        }
    }

    /** The value at a dotted path, including an explicit null; Java null when the path is absent. */
    static ConfigValue valueAt(ConfigObject root, String path) {
        ConfigValue v = root;
        for (String element : ConfigUtil.splitPath(path)) {
            if (!(v instanceof ConfigObject o) || !o.containsKey(element)) {
                return null;
            }
            v = o.get(element);
        }
        return v;
    }

    /** The path without quotes around its elements: {@code hadoop."fs.s3a.endpoint"} → {@code hadoop.fs.s3a.endpoint}. */
    static String plain(String path) {
        return String.join(".", ConfigUtil.splitPath(path));
    }
}
