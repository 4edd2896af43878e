package org.vitspark.checkpoint;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.data.shard.DataPosition;

/**
 * A child process for {@link KilledCheckpointWriteTest}: writes checkpoints of a 32 MB parameter vector
 * (its values encode the round) back to back, forever, continuing from the latest loadable one.
 */
public final class CheckpointWriterMain {

    static final int SIZE = 8 << 20;

    public static void main(String[] args) throws Exception {
        CheckpointStore store = new CheckpointStore(FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(Path.of(args[0]).toUri()), 2, new PrintWriter(System.out, true));
        int round = store.loadLatest().map(c -> c.state().round()).orElse(0);
        while (true) {
            round++;
            store.write(state(round), params(round), params(-round), "round = " + round + "\n");
        }
    }

    static TrainState state(int round) {
        return new TrainState(round, 0, round, round * 5, List.of(new DataPosition(0, 0, round)), 7, "h");
    }

    static INDArray params(int round) {
        return Nd4j.valueArrayOf(new long[] {1, SIZE}, (float) round, DataType.FLOAT);
    }
}
