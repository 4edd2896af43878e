package org.vitspark.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.vitspark.augment.MixedTargets;
import org.vitspark.model.Forward;
import org.vitspark.model.TransformerNet;
import org.vitspark.objective.ObjectiveValue;
import org.vitspark.objective.SoftTargetCrossEntropy;
import org.vitspark.rng.Rng;
import org.vitspark.search.Genome;
import org.vitspark.search.GenomeSampler;
import org.vitspark.search.GenomeSize;
import org.vitspark.search.SupernetSlicer;
import org.vitspark.search.Window;

/**
 * Runtime side of {@link SupernetConf}. A training step draws the step's genome from (genome seed, iteration)
 * ({@link GenomeSampler#atStep}: every worker of a round and SAM's second pass get the same one), cuts its
 * sub-network out of the shared tensors for each alignment of the channel policy (left, or left and right),
 * sums the alignments' logits (BCNet's rule: one soft cross-entropy on the sum, not the mean of two losses),
 * and carries each pass's gradient back into the shared tensors ({@link SupernetSlicer#scatterAdd}). Entries
 * no slice read get exactly zero gradient; the optimiser treats them as any zero gradient (AdamW still moves
 * them by their first moment and decays them: docs/decisions.md D29).
 */
public class SupernetLayer extends FlatOutputLayer<SupernetConf> {

    /** One alignment's pass: its sub-network, the parameters cut for it, its net and kept forward pass. */
    private record Part(SupernetSlicer.Subnet subnet, INDArray params, TransformerNet net, Forward forward) {
    }

    private record Pass(INDArray input, boolean training, Genome genome, List<Part> parts, INDArray logits) {
    }

    private transient SupernetSlicer slicer;
    private transient GenomeSampler sampler;
    private transient Pass last;
    private transient Genome lastGenome;

    public SupernetLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private SupernetSlicer slicer() {
        if (slicer == null) {
            slicer = new SupernetSlicer(layerConf().searchSpace(), layerConf().channelPolicy());
            sampler = layerConf().sampler();
        }
        return slicer;
    }

    /** The genome the training step at {@code iteration} trains. */
    public Genome genomeAt(long iteration) {
        slicer();
        return sampler.atStep(layerConf().getGenomeSeed(), iteration);
    }

    /** The genome of the last training step (null before the first). */
    public Genome lastGenome() {
        return lastGenome;
    }

    @Override
    public ObjectiveValue lastObjectiveValue() {
        return null;
    }

    /** The MACs and block count of the last step's genome (averaged into the round's metrics). */
    @Override
    public Map<String, Double> lastMonitors() {
        if (lastGenome == null) {
            return Map.of();
        }
        return Map.of("subnet_macs", (double) GenomeSize.macs(slicer().space(), lastGenome),
                "subnet_blocks", (double) lastGenome.blocks(slicer().space()));
    }

    private Pass pass(boolean training) {
        assertInputSet(false);
        if (last != null && last.input() == input && last.training() == training) {
            return last;
        }
        SupernetSlicer s = slicer();
        Genome g = training ? genomeAt(getIterationCount()) : layerConf().evalGenome();
        long dropSeed = Rng.mix(layerConf().getDropSeed(), getIterationCount(), getEpochCount(), partition);
        List<Part> parts = new ArrayList<>();
        INDArray logits = null;
        for (Window.Side side : s.policy().sides()) {
            SupernetSlicer.Subnet n = s.subnet(g, side);
            INDArray p = s.gather(n, params());
            TransformerNet net = new TransformerNet(n.spec());
            Forward f = net.forward(p, input, training, dropSeed, training);
            parts.add(new Part(n, p, net, f));
            logits = logits == null ? f.logits().dup() : logits.addi(f.logits());
        }
        last = new Pass(input, training, g, parts, logits);
        return last;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, Transforms.softmax(pass(training).logits(), true));
    }

    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return pass(training).logits();
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray logits = pass(training).logits();
        INDArray y = MixedTargets.classTargets(labels, (int) logits.size(1));
        score = SoftTargetCrossEntropy.mean(logits, y, layerConf().getLabelSmoothing());
        if (training) {
            countCorrect(logits, y);
        }
        return score;
    }

    @Override
    public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("per-example scores are not defined for the supernet; "
                + "evaluate the network's outputs instead");
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Pass pass = pass(true);
        INDArray y = MixedTargets.classTargets(labels, (int) pass.logits().size(1));
        INDArray dLogits = SoftTargetCrossEntropy.gradient(pass.logits(), y, layerConf().getLabelSmoothing());
        INDArray grads = gradientsFlattened;
        grads.assign(0);
        for (Part part : pass.parts()) {
            INDArray sub = Nd4j.create(grads.dataType(), 1, part.subnet().layout().total());
            // each alignment's logits enter the sum with weight 1: both passes get the sum's gradient
            part.net().backward(part.params(), part.forward(), dLogits.dup(), sub, false);
            slicer().scatterAdd(part.subnet(), sub, grads);
        }
        lastGenome = pass.genome();
        return new Pair<>(publish(grads), null);
    }

    @Override
    protected void dropPass() {
        last = null;
    }

    @Override
    public void clear() {
        super.clear();
        last = null;
    }
}
