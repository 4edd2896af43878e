package org.vitspark.config;

import java.io.Serializable;

/** {@code train.*}: the training loop's shape, cadence and policies (reference.conf documents each). */
public record TrainSettings(int epochs, int batchPerWorker, int workers, int averagingFrequency, int logEvery,
                            boolean averageUpdater, int evalEveryRounds, boolean evalTrain, int checkpointEveryRounds,
                            int keepCheckpoints, NanPolicy nanPolicy, boolean keyAudit, boolean tensorboard,
                            boolean preflight, AveragingChannel averagingChannel, int socketWaitSeconds)
        implements Serializable {

    /** What a non-finite loss or gradient does: stop the run, or leave that worker's round out of the average. */
    public enum NanPolicy { FAIL, SKIP }

    /**
     * How a round's parameters travel: over a connection from each worker's long-running task to the
     * driver (several rounds per Spark job), or through a Spark job per round (broadcast and task results).
     */
    public enum AveragingChannel { SOCKET, JOBS }
}
