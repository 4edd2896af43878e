package org.vitspark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.vitspark.config.ConfigLoader;
import org.vitspark.config.ConfigSources;
import org.apache.spark.sql.SparkSession;
import org.vitspark.config.Settings;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.preprocess.IdxShards;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.run.RunDirectory;
import org.vitspark.driver.AveragingTrainer;
import org.vitspark.spark.SparkContexts;

/**
 * Per-round time breakdown of distributed training on Fashion-MNIST shards: runs ROUNDS averaging rounds
 * and prints the means (after WARMUP rounds, 2 by default) of the round time and its parts from
 * metrics.jsonl: compute (forward/backward/update), SAM's extra pass, data wait, network build from the
 * broadcast, and the rest (broadcast, scheduling, result transfer, ordered summing: "averaging"). Rounds
 * run on through epoch ends (an epoch of Fashion-MNIST is 94 rounds of 2 workers at frequency 5): Spark's
 * per-job path takes a few hundred jobs to reach its steady speed (JobLatencyBench), and a long run spends
 * most of its rounds there. Usage:
 * {@code RoundBench RUN_ROOT VARIANT WORKERS FREQUENCY ROUNDS off|sam [BATCH=64] [MASTER=local[2]] [WARMUP=2]};
 * {@code -Dvitspark.KEY=VALUE} sets other configuration keys (train.averaging-channel=jobs).
 */
public final class RoundBench {

    /** The run stops after ROUNDS rounds (stopAfterRound); its epoch count only must not stop it sooner. */
    private static final int EPOCHS_COVERING_ANY_ROUNDS = 1000;

    private RoundBench() {
    }

    public static void main(String[] args) throws Exception {
        String root = args[0];
        String variant = args[1];
        int workers = Integer.parseInt(args[2]);
        int frequency = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        String sam = args[5];
        int batch = args.length > 6 ? Integer.parseInt(args[6]) : 64;
        String master = args.length > 7 ? args[7] : "local[2]";
        int warmup = args.length > 8 ? Integer.parseInt(args[8]) : 2;
        if (rounds <= warmup) {
            throw new IllegalArgumentException(String.format("ROUNDS must exceed WARMUP (%d), got %d", warmup, rounds));
        }
        // -Dvitspark.<key>=<value> sets any other key, e.g. -Dvitspark.train.averaging-channel=jobs
        VitsparkConfig c = ConfigLoader.standard().load(new ConfigSources(null, System.getProperties(), List.of(
                "run.root=" + root, "run.name=bench", "run.id=" + variant + "-w" + workers + "-f" + frequency + "-" + sam,
                "spark.master=\"" + master + "\"", "model.variant=" + variant, "train.workers=" + workers,
                "train.averaging-frequency=" + frequency, "train.batch-per-worker=" + batch, "optim.sam.mode=" + sam,
                "train.checkpoint-every-rounds=0", "train.preflight=false", "train.log-every=1000",
                "augment.train=small", "augment.eval=small-eval", "data.test-limit=1000",
                "train.epochs=" + EPOCHS_COVERING_ANY_ROUNDS)));
        Settings s = c.settings();
        RunDirectory run = RunDirectory.create(s, HadoopFiles.configuration(s.hadoop()));
        try (JavaSparkContext sc = SparkContexts.start(s, "round-bench")) {
            // the trainer's own lines (progress, warnings such as a fallback of the averaging channel) to stderr
            PrintWriter log = new PrintWriter(System.err, true);
            IdxShards.ensure(SparkSession.builder().sparkContext(sc.sc()).getOrCreate(), s, workers, log);
            new AveragingTrainer(s, log).stopAfterRound(rounds).train(sc, run);
        }
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : HadoopFiles.readString(run.fs(), run.file("metrics.jsonl")).split("\n")) {
            JsonNode n = json.readTree(line);
            if ("train".equals(n.path("kind").asText()) && n.path("round").asInt() > warmup) {
                rows.add(n);
            }
        }
        String[] parts = {"round_s", "compute_s", "sam_s", "data_s", "init_s", "averaging_s", "broadcast_s", "sum_s",
            "apply_s", "launch_s", "task_deserialize_s", "result_serialize_s", "result_fetch_s", "images_per_s"};
        StringBuilder out = new StringBuilder(String.format("%s workers=%d frequency=%d sam=%s batch=%d rounds=%d:",
                variant, workers, frequency, sam, batch, rows.size()));
        double round = mean(rows, "round_s");
        for (String p : parts) {
            double m = mean(rows, p);
            out.append(String.format(" %s %.4f", p, m));
            if (!p.equals("round_s") && !p.equals("images_per_s")) {
                out.append(String.format(" (%.1f%%)", 100 * m / round));
            }
        }
        System.out.println(out);
    }

    private static double mean(List<JsonNode> rows, String field) {
        return rows.stream().mapToDouble(r -> r.path(field).asDouble()).average().orElseThrow(); // rounds >= 3
    }
}
