package org.vitspark.driver;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vitspark.averaging.ShardAveragingMaster;
import org.vitspark.averaging.WorkerReport;
import org.vitspark.train.StepTotals;

/** One round's row of metrics.jsonl (and TensorBoard scalars): losses, accuracy, schedules, and where the time went. */
final class RoundScalars {

    private RoundScalars() {
    }

    static Map<String, Double> of(StepTotals t, ShardAveragingMaster.Round round, double seconds,
                                  Map<String, Double> schedule, int skipped) {
        double compute = 0;
        double data = 0;
        double init = 0;
        for (WorkerReport r : round.reports()) {
            compute = Math.max(compute, r.computeSeconds);
            data = Math.max(data, r.dataSeconds);
            init = Math.max(init, r.initSeconds);
        }
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("loss", t.meanLoss());
        s.put("clean_loss", t.meanCleanLoss());
        s.put("accuracy", t.accuracy());
        s.put("lr", schedule.get("lr"));
        s.put("grad_norm", t.meanGradNorm());
        schedule.forEach((k, v) -> {
            if (!k.equals("lr")) {
                s.put(k, v);
            }
        });
        s.put("images_per_s", t.examples / seconds);
        s.put("round_s", seconds);
        s.put("compute_s", compute - t.samSeconds);
        s.put("sam_s", t.samSeconds);
        s.put("data_s", data);
        s.put("init_s", init);
        // Everything outside the slowest worker's own work: broadcast, scheduling, result transfer, summing.
        s.put("averaging_s", Math.max(0, seconds - compute - data - init));
        // of which: on the driver, creating the broadcast, summing the partial sums in order, setting the mean
        s.put("broadcast_s", round.broadcastSeconds());
        s.put("sum_s", round.sumSeconds());
        s.put("apply_s", round.applySeconds());
        // and in Spark (slowest task; NaN if its events came late): job submission to the last task's launch,
        // task deserialisation, result serialisation, the driver's fetch of a large result
        s.put("launch_s", round.launchSeconds());
        s.put("task_deserialize_s", round.deserializeSeconds());
        s.put("result_serialize_s", round.resultSerializeSeconds());
        s.put("result_fetch_s", round.resultFetchSeconds());
        s.put("skipped_workers", (double) skipped);
        s.putAll(t.termMeans()); // loss_<term>, grad_share_<term> for an objective of several terms
        return s;
    }
}
