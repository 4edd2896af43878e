package org.vitspark.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.vitspark.model.ModelSpec;
import org.vitspark.search.ChannelPolicy;
import org.vitspark.search.Genome;
import org.vitspark.search.SearchSpace;
import org.vitspark.search.SupernetSlicer;
import org.vitspark.search.Window;

/**
 * The supernet as a DL4J layer: a training step changes exactly the slices of the step's genome (SGD, no decay),
 * the genome is the same in every copy of the network at the same iteration (what each Spark worker holds),
 * and the network survives serialisation.
 */
class SupernetLayerTest {

    static SearchSpace space() {
        ModelSpec base = new ModelSpec("base", ModelSpec.Family.VIT, 8, 1, 3, 4, 6, 1, 1, 4, 0,
                ModelSpec.Pooling.CLS, 0, 0, true);
        return new SearchSpace(base, List.of(2, 4), List.of(3, 5, 6), List.of(1, 2), List.of(2, 4), List.of(3, 5), 3);
    }

    private static ComputationGraph net(ChannelPolicy policy) {
        return Networks.supernet(space(), policy, 0.3, TransformerLayerTest.settings(0, 0, 0.1), new Sgd(0.1), 7,
                DataType.FLOAT);
    }

    @Test
    void aStepMovesExactlyTheSlicesOfTheStepsGenome() {
        for (ChannelPolicy policy : ChannelPolicy.values()) {
            ComputationGraph net = net(policy);
            SupernetLayer layer = (SupernetLayer) net.getOutputLayer(0);
            Genome g = layer.genomeAt(net.getConfiguration().getIterationCount());
            INDArray before = net.params().dup();
            INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 8, 8);
            net.fit(new DataSet(x, TransformerLayerTest.oneHot(4, 3, 2).castTo(DataType.FLOAT)));
            INDArray moved = net.params().sub(before);
            // the entries the genome's slices read, by gathering an index ramp
            SupernetSlicer slicer = new SupernetSlicer(space(), policy);
            boolean[] read = new boolean[(int) before.length()];
            INDArray ramp = Nd4j.arange(0, before.length()).castTo(DataType.DOUBLE).reshape(1, before.length());
            for (Window.Side side : policy.sides()) {
                INDArray idx = slicer.gather(slicer.subnet(g, side), ramp);
                for (long i = 0; i < idx.length(); i++) {
                    read[(int) idx.getDouble(i)] = true;
                }
            }
            int movedOutside = 0;
            int movedInside = 0;
            for (int i = 0; i < read.length; i++) {
                boolean m = moved.getDouble(i) != 0;
                movedOutside += m && !read[i] ? 1 : 0;
                movedInside += m && read[i] ? 1 : 0;
            }
            assertEquals(0, movedOutside, policy + ": entries outside the genome's slices moved");
            assertTrue(movedInside > 0, policy + ": the step moved nothing");
        }
    }

    @Test
    void everyCopyOfTheNetworkTrainsTheSameGenomeAtAnIteration() throws Exception {
        ComputationGraph a = net(ChannelPolicy.CYCLIC);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(a, bytes, true);
        ComputationGraph b = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
        ComputationGraph c = new ComputationGraph(ComputationGraphConfiguration.fromJson(a.getConfiguration().toJson()));
        c.init(a.params().dup(), false);
        for (int step = 0; step < 50; step++) {
            Genome g = ((SupernetLayer) a.getOutputLayer(0)).genomeAt(step);
            assertEquals(g, ((SupernetLayer) b.getOutputLayer(0)).genomeAt(step));
            assertEquals(g, ((SupernetLayer) c.getOutputLayer(0)).genomeAt(step));
        }
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 1, 8, 8);
        assertEquals(a.outputSingle(x), b.outputSingle(x));
        assertEquals(a.getConfiguration(), c.getConfiguration());
    }

    /**
     * A space with one choice per gene is one architecture: its supernet, started from the standalone model's
     * weights, trains like the standalone model (AdamW with decay, 5 steps; float rounding only).
     */
    @Test
    void aOneArchitectureSupernetTrainsLikeTheStandaloneModel() {
        ModelSpec base = new ModelSpec("one", ModelSpec.Family.VIT, 8, 1, 3, 4, 8, 2, 2, 12, 0,
                ModelSpec.Pooling.CLS, 0, 0, true);
        SearchSpace one = new SearchSpace(base, List.of(4), List.of(8), List.of(2), List.of(8), List.of(12), 2);
        org.vitspark.config.OptimSettings o = TransformerLayerTest.settings(0.05, 0, 0.1);
        ComputationGraph sup = Networks.supernet(one, ChannelPolicy.LEFT, 0.0, o,
                new org.nd4j.linalg.learning.config.Adam(1e-3), 3, DataType.FLOAT);
        ComputationGraph std = Networks.build(base, o, new org.nd4j.linalg.learning.config.Adam(1e-3), 3,
                DataType.FLOAT);
        SupernetSlicer slicer = new SupernetSlicer(one, ChannelPolicy.LEFT);
        Genome g = Genome.of(one, new int[one.geneCount()]);
        SupernetSlicer.Subnet n = slicer.subnet(g, Window.Side.LEFT);
        assertEquals(base.encode(), n.spec().toBuilder().name("one").heads(2).mlpDim(12).blocks(List.of()).build()
                .encode());
        assertEquals(sup.numParams(), std.numParams(), "one choice per gene: the same tensors");
        std.params().assign(slicer.gather(n, sup.params()));
        for (int step = 0; step < 5; step++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 8, 8);
            INDArray y = TransformerLayerTest.oneHot(4, 3, step).castTo(DataType.FLOAT);
            sup.fit(new DataSet(x, y));
            std.fit(new DataSet(x, y));
            assertEquals(std.score(), sup.score(), 1e-5, "step " + step);
        }
        double diff = slicer.gather(n, sup.params()).sub(std.params()).amaxNumber().doubleValue();
        assertTrue(diff < 1e-5, "largest parameter difference after 5 steps " + diff);
    }
}
