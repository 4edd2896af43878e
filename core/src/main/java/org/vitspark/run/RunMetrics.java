package org.vitspark.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.vitspark.metrics.JsonLine;
import org.vitspark.metrics.TensorBoardEvents;
import org.vitspark.fs.HadoopFiles;

/**
 * The driver's metrics of a run: {@code metrics.jsonl} (one JSON object per logged round or evaluation)
 * and a TensorBoard event file under {@code tensorboard/}. Both are rewritten whole on each flush (S3 has
 * no append), atomically. On resume, lines after the checkpoint's round are dropped (those rounds run
 * again) and a new event file is started.
 */
public final class RunMetrics {

    private final RunDirectory run;
    private final List<String> lines = new ArrayList<>();
    private final TensorBoardEvents events;
    private final Path eventFile;

    /** @param resumedRound rounds already done (0 = fresh run): older lines up to it are kept */
    public RunMetrics(RunDirectory run, int resumedRound, boolean tensorboard) throws IOException {
        this.run = run;
        Path jsonl = run.file("metrics.jsonl");
        if (resumedRound > 0 && run.fs().exists(jsonl)) {
            for (String line : HadoopFiles.readString(run.fs(), jsonl).split("\n")) {
                if (!line.isBlank() && roundOf(line) <= resumedRound) {
                    lines.add(line);
                }
            }
        }
        double now = System.currentTimeMillis() / 1000.0;
        this.events = tensorboard ? new TensorBoardEvents(now) : null;
        this.eventFile = tensorboard ? run.file("tensorboard/events.out.tfevents." + (long) now + ".vitspark") : null;
    }

    private static final java.util.regex.Pattern ROUND = java.util.regex.Pattern.compile("\"round\":(\\d+)");

    private static int roundOf(String line) {
        java.util.regex.Matcher m = ROUND.matcher(line);
        return m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }

    /**
     * Adds a JSONL row: {@code head} (kind, epoch, round, ...) followed by {@code scalars}, which also go to
     * TensorBoard as {@code <kind>/<name>} at {@code step}.
     */
    public void add(String kind, JsonLine head, long step, Map<String, Double> scalars) {
        JsonLine line = new JsonLine().put("kind", kind);
        head.fields().forEach(line::put);
        scalars.forEach(line::put);
        lines.add(line.toString());
        if (events != null) {
            double now = System.currentTimeMillis() / 1000.0;
            scalars.forEach((name, v) -> events.scalar(kind + "/" + name, step, v, now));
        }
    }

    public void flush() throws IOException {
        HadoopFiles.writeString(run.fs(), run.file("metrics.jsonl"), String.join("\n", lines) + "\n");
        if (events != null) {
            byte[] bytes = events.bytes();
            HadoopFiles.writeAtomically(run.fs(), eventFile, o -> o.write(bytes));
        }
    }
}
