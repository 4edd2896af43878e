package org.vitspark.runtime;

/** A bad argument or input found before work starts (missing input, data/model mismatch): exit code 2. */
public final class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
