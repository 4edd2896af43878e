package org.vitspark.averaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * An executor's kept networks: a worker's next round reuses its network with exactly the broadcast's
 * parameters and updater state (zeros when the broadcast has none, as a new network's updater), and a
 * network from another training, from an older round or of another worker is never handed out.
 */
class ExecutorNetworksTest {

    private static ComputationGraph graph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(1e-2))
                .dataType(DataType.FLOAT).graphBuilder().addInputs("in")
                .addLayer("h", new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(5).nOut(2)
                        .activation(Activation.IDENTITY).build(), "h")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** Builds a new network for each call, counted in {@code builds}. */
    private static Supplier<ComputationGraph> counting(AtomicInteger builds) {
        return () -> {
            builds.incrementAndGet();
            return graph();
        };
    }

    private static void train(ComputationGraph g) {
        g.fit(new MultiDataSet(Nd4j.rand(DataType.FLOAT, 8, 4), Nd4j.rand(DataType.FLOAT, 8, 2)));
    }

    @Test
    void theNextRoundReusesTheNetworkWithTheBroadcastState() {
        ComputationGraph driver = graph();
        train(driver); // an updater state that is not all zeros
        AtomicInteger builds = new AtomicInteger();
        Supplier<ComputationGraph> build = counting(builds);
        String training = "t-" + System.nanoTime();
        ComputationGraph first = ExecutorNetworks.take(training, 0, -1, 1, tuple(driver, true), build);
        train(first);
        ExecutorNetworks.giveBack(training, 0, -1, 1, first);

        train(driver); // the driver's averaged state moves on
        ComputationGraph second = ExecutorNetworks.take(training, 0, -1, 2, tuple(driver, true), build);
        assertSame(first, second);
        assertEquals(1, builds.get());
        assertEquals(driver.params(), second.params());
        assertEquals(driver.getUpdater().getStateViewArray(), second.getUpdater().getStateViewArray());
        ExecutorNetworks.giveBack(training, 0, -1, 2, second);

        // without updater state in the broadcast the kept network starts from a new updater's zeros
        ComputationGraph third = ExecutorNetworks.take(training, 0, -1, 3, tuple(driver, false), build);
        assertSame(first, third);
        assertEquals(0.0, third.getUpdater().getStateViewArray().amaxNumber().doubleValue());
        assertEquals(driver.params(), third.params());
        ExecutorNetworks.giveBack(training, 0, -1, 3, third);
    }

    @Test
    void otherTrainingsOlderRoundsAndOtherWorkersBuildANewNetwork() {
        ComputationGraph driver = graph();
        AtomicInteger builds = new AtomicInteger();
        Supplier<ComputationGraph> build = counting(builds);
        String a = "a-" + System.nanoTime();
        ComputationGraph kept = ExecutorNetworks.take(a, 0, -1, 1, tuple(driver, true), build);
        ExecutorNetworks.giveBack(a, 0, -1, 1, kept);
        assertNotSame(kept, ExecutorNetworks.take(a, 1, -1, 2, tuple(driver, true), build)); // another worker
        assertNotSame(kept, ExecutorNetworks.take(a, 0, 1, 2, tuple(driver, true), build)); // another device
        assertNotSame(kept, ExecutorNetworks.take(a, 0, -1, 3, tuple(driver, true), build)); // round 1 -> 3: dropped
        ExecutorNetworks.giveBack(a, 0, -1, 3, kept);
        String b = "b-" + System.nanoTime();
        assertNotSame(kept, ExecutorNetworks.take(b, 0, -1, 4, tuple(driver, true), build)); // another training
        assertEquals(0, ExecutorNetworks.size(), "training a's network was dropped");
        assertEquals(5, builds.get());
    }

    private static NetBroadcastTuple tuple(ComputationGraph driver, boolean updater) {
        INDArray state = updater ? driver.getUpdater().getStateViewArray().dup() : null;
        return new NetBroadcastTuple(driver.getConfiguration(), driver.params().dup(), state);
    }
}
