package org.vitspark.averaging;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps each worker's network on its executor between rounds. DL4J's parameter-averaging worker builds a
 * new network from the broadcast every round (configuration clone, parameter, gradient and updater arrays:
 * 22-36 ms a round for the tiny ViT, more with size); a round whose worker trained on this executor in
 * the previous round instead sets the broadcast parameters and updater state into that network, which is
 * what the local trainer does between its steps. Only one training's networks are kept per JVM, only
 * those used in the previous round, and a network is taken out while a task uses it, so two attempts of
 * one worker never share one.
 */
final class ExecutorNetworks {

    private record Key(String training, int worker, int device) {
    }

    private record Kept(ComputationGraph network, int round) {
    }

    private static final Map<Key, Kept> KEPT = new HashMap<>();

    private ExecutorNetworks() {
    }

    /**
     * Worker {@code worker}'s network for round {@code round} of {@code training}, holding {@code tuple}'s
     * parameters and updater state (zeros when it carries none): the one it trained in the previous round
     * on this executor and device, else {@code build}'s (set from {@code tuple} too, which a network built
     * from an earlier round's broadcast needs).
     */
    static ComputationGraph take(String training, int worker, int device, int round, NetBroadcastTuple tuple,
                                 Supplier<ComputationGraph> build) {
        Kept kept;
        synchronized (KEPT) {
            KEPT.entrySet().removeIf(e -> !e.getKey().training.equals(training) || e.getValue().round < round - 1);
            kept = KEPT.remove(new Key(training, worker, device));
        }
        ComputationGraph g = kept == null ? build.get() : kept.network;
        g.setParams(tuple.getParameters());
        INDArray state = g.getUpdater() == null ? null : g.getUpdater().getStateViewArray();
        if (state != null) {
            if (tuple.getUpdaterState() != null) {
                state.assign(tuple.getUpdaterState());
            } else {
                state.assign(0);
            }
        }
        return g;
    }

    /** Keeps {@code network} for the worker's next round on this executor. */
    static void giveBack(String training, int worker, int device, int round, ComputationGraph network) {
        synchronized (KEPT) {
            KEPT.put(new Key(training, worker, device), new Kept(network, round));
        }
    }

    /** Networks kept in this JVM (for tests). */
    static int size() {
        synchronized (KEPT) {
            return KEPT.size();
        }
    }
}
