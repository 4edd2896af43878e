package org.vitspark.runtime;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A failure as a person reads it: one line from the exception's cause chain (the innermost cause says what
 * went wrong, the outermost where), with the stack trace kept apart for a log file or {@code --verbose}.
 */
public final class Failures {

    private static final int MAX_PART = 240;

    private Failures() {
    }

    /**
     * One line: the innermost cause's message (or class name), then the outermost message when it adds
     * something, each cut to its first line. Spark's "Job aborted due to stage failure ..." wrapper is kept
     * short: its useful part is the cause.
     */
    public static String summary(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        Throwable root = chain.get(chain.size() - 1);
        String inner = describe(root);
        String outer = describe(e);
        if (root == e || outer.contains(inner) && outer.length() <= MAX_PART) {
            return outer;
        }
        if (inner.contains(firstLine(e.getMessage()))) {
            return inner;
        }
        return inner + " (while: " + outer + ")";
    }

    private static String describe(Throwable t) {
        String m = firstLine(t.getMessage());
        String text = m.isEmpty() ? t.getClass().getSimpleName() : t instanceof RuntimeException
                && !(t instanceof IllegalArgumentException || t instanceof IllegalStateException
                || t instanceof UsageException) && !(t.getClass().getName().startsWith("org.vitspark"))
                ? t.getClass().getSimpleName() + ": " + m : m;
        return text.length() > MAX_PART ? text.substring(0, MAX_PART) + " ..." : text;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    public static String stackTrace(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
