package org.vitspark.config;

/** The value types a configuration key can have. */
public enum ConfigType {
    INT("an integer"),
    DOUBLE("a number"),
    BOOLEAN("a boolean (true/false)"),
    STRING("a string"),
    STRING_LIST("a list of strings"),
    INT_LIST("a non-empty list of integers"),
    NUMBER_LIST("a non-empty list of numbers"),
    /** An object whose keys are free-form (Spark or Hadoop properties), with string/number/boolean leaves. */
    FREE_MAP("an object of key = value properties");

    private final String description;

    ConfigType(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
