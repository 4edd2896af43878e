package org.vitspark.averaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.Variants;
import org.vitspark.model.dl4j.Networks;
import org.vitspark.optim.OptimSettings;
import org.vitspark.optim.Sam;
import org.vitspark.optim.WarmupDecaySchedule;

/** Workers see the driver's iteration count in every averaging round (D15), not 0..frequency−1. */
class IterationCountHookTest {

    /** Records the iteration count each worker's updater will use, from inside the worker. */
    static final class SeenIterations extends BaseTrainingListener implements Serializable {
        private final CollectionAccumulator<Integer> seen;

        SeenIterations(CollectionAccumulator<Integer> seen) {
            this.seen = seen;
        }

        @Override
        public void onGradientCalculation(Model model) {
            seen.add(((ComputationGraph) model).getConfiguration().getIterationCount());
        }
    }

    @Test
    void everyRoundContinuesFromTheDriversCount() {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("iteration-count")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator").set("spark.ui.enabled", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            ModelSpec m = Variants.find("tiny").orElseThrow().toBuilder().depth(1).build();
            OptimSettings o = new OptimSettings(1e-3, 1e-5, WarmupDecaySchedule.Kind.COSINE, 4, 12, 0.05, 0.9, 0.999,
                    1e-8, 1.0, 0.1, Sam.Mode.OFF, 0.05);
            ComputationGraph net = Networks.build(m, o, 1, DataType.FLOAT);
            ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(8)
                    .batchSizePerWorker(8).averagingFrequency(2).workerPrefetchNumBatches(0).saveUpdater(true)
                    .rddTrainingApproach(RDDTrainingApproach.Direct).rngSeed(1).build();
            IterationCountHook hook = new IterationCountHook();
            master.addHook(hook);
            SparkComputationGraph sparkNet = new SparkComputationGraph(sc, net, master);
            CollectionAccumulator<Integer> seen = sc.sc().collectionAccumulator("iterations");
            sparkNet.setListeners(new SeenIterations(seen));

            List<DataSet> batches = new ArrayList<>();
            for (int i = 0; i < 4; i++) { // 2 workers x 2 steps = one round
                DataSet d = new DataSet(Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28), Nd4j.eye(10).getRows(0, 1, 2, 3, 4, 5, 6, 7));
                batches.add(d);
            }
            for (int round = 0; round < 3; round++) {
                seen.reset();
                int driverCount = sparkNet.getNetwork().getConfiguration().getIterationCount();
                hook.set(driverCount, 0);
                sparkNet.fit(sc.parallelize(batches, 2));
                List<Integer> iterations = new ArrayList<>(seen.value());
                iterations.sort(null);
                // each of the 2 workers takes steps driverCount and driverCount + 1
                assertEquals(List.of(driverCount, driverCount, driverCount + 1, driverCount + 1), iterations,
                        "round " + round);
                assertEquals(2 * (round + 1), sparkNet.getNetwork().getConfiguration().getIterationCount());
            }
        }
    }
}
