package org.vitspark.suite;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a suite experiment runs, and the metrics its run reports (what bands may name). Every job also
 * reports its wall time, {@code wall_s}.
 */
public enum SuiteJob {
    /** Supervised training: summary.json and the rounds' throughput. */
    TRAIN("train", "test_top1", "test_top5", "test_loss", "last_loss", "images_per_s"),
    /** DINO pretraining: the teacher's final k-NN and its gain over the random initialisation, the last loss. */
    PRETRAIN("pretrain", "knn_top1", "knn_top5", "knn_gain", "last_loss", "teacher_entropy", "images_per_s"),
    /** ViTAS supernet training: its evaluation genome's test accuracy. */
    SEARCH_SUPERNET("search-supernet", "test_top1", "test_loss", "last_loss", "images_per_s"),
    /** ViTAS evolutionary search over a trained supernet: the best genome's score and MACs. */
    SEARCH_EVOLVE("search-evolve", "best_score", "best_macs"),
    /** The paper's diagnostics on a trained run: the Hessian's largest eigenvalue. */
    ANALYZE("analyze", "lambda_max"),
    /** A named multi-step experiment of deploy/experiments, whose gates script reports its metrics. */
    EXPERIMENT("experiment");

    public static final String WALL = "wall_s";

    private final String key;
    private final List<String> metrics;

    SuiteJob(String key, String... metrics) {
        this.key = key;
        this.metrics = List.of(metrics);
    }

    public String key() {
        return key;
    }

    /** The metrics a band may name; empty for {@link #EXPERIMENT}, whose gates decide their own names. */
    public List<String> metrics() {
        return metrics;
    }

    public boolean knows(String metric) {
        return this == EXPERIMENT || metric.equals(WALL) || metrics.contains(metric);
    }

    public static Optional<SuiteJob> of(String key) {
        return Arrays.stream(values()).filter(j -> j.key.equals(key)).findFirst();
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(SuiteJob::key).toList();
    }
}
