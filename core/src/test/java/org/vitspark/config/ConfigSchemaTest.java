package org.vitspark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {

    private final ConfigSchema schema = ConfigSchema.standard();
    private final Config reference = ConfigLoader.standard().reference();

    @Test
    void referenceAndSchemaDeclareTheSameKeys() {
        Set<String> declared = schema.keys().stream().map(ConfigKey::path).collect(Collectors.toCollection(TreeSet::new));
        Set<String> inReference = new TreeSet<>(); // a free map's entries (augment.pipelines.weak) count as the map
        for (String leaf : ConfigTree.leaves(reference.root()).keySet()) {
            inReference.add(schema.enclosingFreeMap(leaf).map(ConfigKey::path).orElse(leaf));
        }
        assertEquals(declared, inReference, "schema (ConfigSchema) and reference.conf must list the same keys");
    }

    @Test
    void everyReferenceKeyHasAOneLineComment() {
        for (ConfigKey key : schema.keys()) {
            List<String> comments = ConfigTree.valueAt(reference.root(), key.path()).origin().comments();
            assertFalse(comments.isEmpty() || comments.get(comments.size() - 1).isBlank(),
                    key.path() + " has no comment in reference.conf");
        }
    }

    @Test
    void defaultsPassValidation() {
        VitsparkConfig c = ConfigLoader.standard().load(new ConfigSources(null, new Properties(), List.of()));
        assertEquals("tiny", c.model().name());
        assertTrue(c.render().contains("variant"));
    }
}
