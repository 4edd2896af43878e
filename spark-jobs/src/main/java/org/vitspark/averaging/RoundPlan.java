package org.vitspark.averaging;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.vitspark.checkpoint.TrainState;
import org.vitspark.data.shard.DataPosition;
import org.vitspark.shard.ShardManifest;
import org.vitspark.dataset.WorkerData;

/**
 * How an epoch splits into rounds. Worker w owns every workers-th training shard and trains
 * {@code batches[w]} full minibatches of it per epoch; a round gives each worker up to {@code frequency}
 * of them, so an epoch has ⌈max(batches) / frequency⌉ rounds and a worker whose share runs out early
 * sits the last rounds out (its result is then left out of the average).
 */
public final class RoundPlan {

    final int workers;
    final int frequency;
    final long[] batches;
    public final int roundsPerEpoch;

    public RoundPlan(WorkerData data, int frequency) {
        this.workers = data.workers;
        this.frequency = frequency;
        List<ShardManifest.Shard> shards = data.manifest.shards(data.settings.split());
        if (shards.size() < workers) {
            throw new IllegalArgumentException(String.format("split %s of %s has %d shards but train.workers is %d: "
                            + "each worker needs at least one (preprocess again with --shards %d or more)",
                    data.settings.split(), data.manifest.root(), shards.size(), workers, workers));
        }
        batches = new long[workers];
        long max = 0;
        for (int w = 0; w < workers; w++) {
            long rows = data.settingsFor(w).shards().stream().mapToLong(i -> shards.get(i).rows()).sum();
            batches[w] = rows / data.settings.batch(); // training drops each epoch's last partial batch
            if (batches[w] == 0) {
                throw new IllegalArgumentException(String.format("worker %d's shards of split %s hold %d images, "
                        + "fewer than train.batch-per-worker (%d)", w, data.settings.split(), rows, data.settings.batch()));
            }
            max = Math.max(max, batches[w]);
        }
        roundsPerEpoch = (int) ((max + frequency - 1) / frequency);
    }

    /** The tasks of the next round from {@code state}: one per worker. */
    public List<WorkerTask> tasks(TrainState state) {
        List<WorkerTask> tasks = new ArrayList<>();
        long done = (long) state.roundInEpoch() * frequency;
        for (int w = 0; w < workers; w++) {
            int n = (int) Math.max(0, Math.min(frequency, batches[w] - done));
            tasks.add(new WorkerTask(w, state.round() + 1, state.step(), state.epoch(), state.positions().get(w), n));
        }
        return tasks;
    }

    /** Optimiser steps the averaged network advances in a round: the most any worker takes. */
    public static int steps(List<WorkerTask> tasks) {
        return tasks.stream().mapToInt(t -> t.batches).max().orElse(0);
    }

    public long imagesPerEpoch(int batch) {
        long n = 0;
        for (long b : batches) {
            n += b * batch;
        }
        return n;
    }

    /**
     * The state after a round: workers' data positions advance to where their streams stopped, and the step
     * by the round's steps; after an epoch's last round the next epoch starts at every worker's first batch.
     */
    public TrainState advance(TrainState s, List<WorkerTask> tasks, Collection<WorkerReport> reports) {
        List<DataPosition> next = new ArrayList<>(s.positions());
        for (WorkerReport r : reports) {
            next.set(r.worker, r.next);
        }
        int step = s.step() + steps(tasks);
        if (s.roundInEpoch() + 1 < roundsPerEpoch) {
            return new TrainState(s.round() + 1, s.epoch(), s.roundInEpoch() + 1, step, next, s.seed(), s.configHash());
        }
        List<DataPosition> fresh = new ArrayList<>();
        for (int w = 0; w < next.size(); w++) {
            fresh.add(DataPosition.start(s.epoch() + 1));
        }
        return new TrainState(s.round() + 1, s.epoch() + 1, 0, step, fresh, s.seed(), s.configHash());
    }
}
