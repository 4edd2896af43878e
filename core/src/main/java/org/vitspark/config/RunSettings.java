package org.vitspark.config;

import java.io.Serializable;

/**
 * {@code run.*}: where a run's directory goes and the seed every derived generator starts from.
 *
 * @param id the run directory's name; empty = a new timestamped one (or the unfinished run to resume)
 */
public record RunSettings(String name, String root, String id, long seed) implements Serializable {
}
