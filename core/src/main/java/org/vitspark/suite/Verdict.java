package org.vitspark.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A night's verdict on a suite: every experiment's metrics against their bands and against the same
 * metric on earlier nights ({@link Trend}); an experiment that did not finish fails the night. The exit
 * code of the nightly job is 0 only when nothing failed, left its band or regressed.
 */
public record Verdict(String suite, String date, String revision, List<ExperimentVerdict> experiments) {

    /** What one experiment left tonight: its run directory and metrics, or why it failed. */
    public record Outcome(String runDir, String configHash, Map<String, Double> metrics, String error) {

        public static Outcome failed(String runDir, String error) {
            return new Outcome(runDir, "", Map.of(), error);
        }
    }

    /** One metric tonight: its band (null if none) and its trend. */
    public record MetricVerdict(String metric, double value, Band band, Trend.Result trend) {

        public boolean inBand() {
            return band == null || band.contains(value);
        }

        /** ok, band (outside its band) or regression (against earlier nights). */
        public String status() {
            return !inBand() ? "band" : trend.regression() ? "regression" : "ok";
        }
    }

    public record ExperimentVerdict(String id, String job, String runDir, String configHash, String error,
                                    List<MetricVerdict> metrics) {

        /** failed, band, regression or ok: the worst of its metrics. */
        public String status() {
            if (error != null) {
                return "failed";
            }
            if (metrics.stream().anyMatch(m -> m.status().equals("band"))) {
                return "band";
            }
            return metrics.stream().anyMatch(m -> m.status().equals("regression")) ? "regression" : "ok";
        }
    }

    /**
     * @param outcomes per experiment id; an experiment without one (not reached) counts as failed
     * @param history  the suite's earlier rows (other nights); tonight's rows, if any, are ignored
     */
    public static Verdict judge(SuiteSpec spec, String date, String revision, Map<String, Outcome> outcomes,
                                List<HistoryRow> history) {
        List<ExperimentVerdict> out = new ArrayList<>();
        for (SuiteSpec.Experiment e : spec.experiments()) {
            Outcome o = outcomes.get(e.id());
            if (o == null) {
                out.add(new ExperimentVerdict(e.id(), e.job().key(), "", "", "did not run (an earlier step stopped the suite)",
                        List.of()));
                continue;
            }
            if (o.error() != null) {
                out.add(new ExperimentVerdict(e.id(), e.job().key(), o.runDir(), o.configHash(), o.error(), List.of()));
                continue;
            }
            List<MetricVerdict> metrics = new ArrayList<>();
            for (Band b : e.bands()) {
                if (!o.metrics().containsKey(b.metric())) {
                    metrics.add(new MetricVerdict(b.metric(), Double.NaN, b, Trend.check(Double.NaN, List.of(),
                            spec.lookback(), b)));
                }
            }
            for (Map.Entry<String, Double> m : new java.util.TreeMap<>(o.metrics()).entrySet()) {
                Band band = e.bands().stream().filter(b -> b.metric().equals(m.getKey())).findFirst().orElse(null);
                List<Double> earlier = earlier(history, e.id(), m.getKey(), date).stream().map(HistoryRow::value)
                        .toList();
                metrics.add(new MetricVerdict(m.getKey(), m.getValue(), band,
                        Trend.check(m.getValue(), earlier, spec.lookback(), band)));
            }
            out.add(new ExperimentVerdict(e.id(), e.job().key(), o.runDir(), o.configHash(), null, metrics));
        }
        return new Verdict(spec.name(), date, revision, List.copyOf(out));
    }

    /** One experiment's metric on the nights before {@code date}, oldest first. */
    public static List<HistoryRow> earlier(List<HistoryRow> history, String experiment, String metric, String date) {
        return history.stream()
                .filter(r -> r.experiment().equals(experiment) && r.metric().equals(metric)
                        && r.date().compareTo(date) < 0)
                .sorted(java.util.Comparator.comparing(HistoryRow::date))
                .toList();
    }

    public boolean passed() {
        return experiments.stream().allMatch(e -> e.status().equals("ok"));
    }

    /** 0 when the night passed, 1 otherwise. */
    public int exitCode() {
        return passed() ? 0 : 1;
    }

    /** One line per problem, e.g. "tiny: test_top1 0.62 outside ≥ 0.8". */
    public List<String> problems() {
        List<String> lines = new ArrayList<>();
        for (ExperimentVerdict e : experiments) {
            if (e.error() != null) {
                lines.add(e.id() + ": failed: " + e.error());
            }
            for (MetricVerdict m : e.metrics()) {
                if (!m.inBand()) {
                    lines.add(String.format(java.util.Locale.ROOT, "%s: %s %.6g outside %s", e.id(), m.metric(),
                            m.value(), m.band().describe()));
                } else if (m.trend().regression()) {
                    lines.add(e.id() + ": " + m.metric() + " regressed: " + m.trend().reason());
                }
            }
        }
        return lines;
    }

    /** Tonight's rows for the history table (a failed experiment leaves none: it has no values). */
    public List<HistoryRow> rows() {
        List<HistoryRow> rows = new ArrayList<>();
        for (ExperimentVerdict e : experiments) {
            for (MetricVerdict m : e.metrics()) {
                if (Double.isNaN(m.value())) {
                    continue;
                }
                rows.add(new HistoryRow(suite, e.id(), date, revision, e.configHash(), m.metric(), m.value(),
                        m.band() == null ? null : m.band().min(), m.band() == null ? null : m.band().max(), m.status()));
            }
        }
        return rows;
    }
}
