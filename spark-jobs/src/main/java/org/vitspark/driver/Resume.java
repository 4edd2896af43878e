package org.vitspark.driver;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.vitspark.checkpoint.Checkpoint;
import org.vitspark.checkpoint.CheckpointStore;
import org.vitspark.checkpoint.ResumeCheck;
import org.vitspark.checkpoint.TrainState;
import org.vitspark.config.Settings;

/**
 * The resume phase: a run directory that holds a published checkpoint continues from it (parameters,
 * updater state, step, data positions), after checking that it was written by the same settings and
 * worker count; without one the run starts at round 0.
 */
final class Resume {

    private Resume() {
    }

    static TrainState from(CheckpointStore store, ComputationGraph net, int workers, Settings s, PrintWriter out)
            throws IOException {
        Optional<Checkpoint> found = store.loadLatest();
        if (found.isEmpty()) {
            return TrainState.start(workers, s.run().seed(), s.hash());
        }
        Checkpoint cp = found.get();
        Set<String> diff = ResumeCheck.differences(cp.config(), s.rendered()); // HOCON: header comments parse away
        if (!diff.isEmpty()) {
            throw new IllegalStateException("checkpoint " + store.root() + "/" + cp.name() + " was written with a "
                    + "different configuration (keys " + diff + "); resume with the same settings or start a new run");
        }
        if (cp.state().workers() != workers) {
            throw new IllegalStateException("checkpoint " + cp.name() + " was written by " + cp.state().workers()
                    + " workers, this run has " + workers + " (train.workers): data positions are per worker");
        }
        net.setParams(cp.params());
        if (cp.updater() != null) {
            net.getUpdater().getStateViewArray().assign(cp.updater());
        }
        TrainState state = cp.state();
        net.getConfiguration().setIterationCount(state.step());
        out.printf("resuming from checkpoint %s: round %d, epoch %d, step %d, data positions %s%n", cp.name(),
                state.round(), state.epoch() + 1, state.step(), state.positions());
        out.flush();
        return state;
    }
}
