package org.vitspark.network;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.vitspark.model.Forward;
import org.vitspark.model.IntermediateGradients;
import org.vitspark.model.Intermediates;
import org.vitspark.model.ParamLayout;
import org.vitspark.model.TransformerNet;
import org.vitspark.model.ops.Arena;
import org.vitspark.augment.MixedTargets;
import org.vitspark.objective.Objective;
import org.vitspark.objective.ObjectiveValue;
import org.vitspark.rng.Rng;

/**
 * Runtime side of {@link TransformerConf}. Keeps the last forward pass so that DL4J's forward, backprop
 * and score calls for one minibatch share it; the loss and the gradients at the pass's intermediates come
 * from the configured {@link Objective}, evaluated once per pass. Dropout masks derive from (drop seed,
 * iteration, epoch, partition): SAM's second pass at the same iteration replays them exactly.
 */
public class TransformerLayer extends FlatOutputLayer<TransformerConf> {

    private transient TransformerNet net;
    private transient Objective objective;
    private transient Forward last;
    /** The objective's value on {@link #last}, once backprop has evaluated it there. */
    private transient ObjectiveValue lastValue;
    private transient Forward valued;
    private transient Arena arena;
    private transient StepMemory memory;
    private transient INDArray lastInput;
    private transient boolean lastTraining;

    public TransformerLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    public TransformerNet net() {
        if (net == null) {
            net = new TransformerNet(layerConf().modelSpec());
        }
        return net;
    }

    public Objective objective() {
        if (objective == null) {
            objective = layerConf().buildObjective();
        }
        return objective;
    }

    /** The objective's value (loss and named terms) on the last training pass, or null before the first. */
    @Override
    public ObjectiveValue lastObjectiveValue() {
        return lastValue;
    }

    /** The seed this iteration's dropout masks derive from (SAM's second pass, and tests, replay them). */
    public long currentDropSeed() {
        return Rng.mix(layerConf().getDropSeed(), getIterationCount(), getEpochCount(), partition);
    }

    private Forward forward(boolean training) {
        assertInputSet(false);
        // Parameters change in place (updates, SAM's perturbation), so the cached pass lives only from
        // activate(input) to clear(): the span of one forward/backward/score sequence of DL4J.
        if (last == null || lastInput != input || lastTraining != training || !memory().valid()) {
            // The previous pass is dropped here, so its arrays may be reused (Arena's and StepMemory's
            // lifetime rule).
            last = null;
            valued = null;
            arena().reset();
            memory().restart();
            // Inference keeps the intermediates only when the objective reads more than the logits.
            boolean keep = training || objective().needsIntermediates();
            try (Arena.Scope s = arena.enter(); StepMemory.Use m = memory.use()) {
                last = net().forward(params(), input, training, currentDropSeed(), keep, objective().needsPatchEmbed());
            }
            lastInput = input;
            lastTraining = training;
        }
        return last;
    }

    private StepMemory memory() {
        if (memory == null) {
            memory = new StepMemory();
        }
        return memory;
    }

    private Arena arena() {
        if (arena == null) {
            arena = new Arena();
        }
        return arena;
    }

    /** Arrays this layer's passes allocated from the backend rather than reused (flat in steady state). */
    public long freshAllocations() {
        return arena().freshAllocations();
    }

    /** A fresh inference pass that keeps the named intermediates (outside the arena: the caller keeps them). */
    public Intermediates intermediates(INDArray images) {
        return net().forward(params(), images, false, 0, true).intermediates();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray probs = Transforms.softmax(forward(training).logits(), true);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, probs);
    }

    /** A copy: the pass's own logits live in the step's memory, which the next pass reuses. */
    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return forward(training).logits().dup();
    }

    /** The objective's loss only: decoupled weight decay (AdamW) is not part of it. */
    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        Forward f = forward(training);
        ObjectiveValue v;
        if (f == valued) {
            v = lastValue;
        } else {
            try (StepMemory.Use m = memory.use()) {
                v = objective().evaluate(f, labels, own(params()), null, null, 1.0);
            }
        }
        score = v.loss();
        if (training) {
            INDArray logits = f.logits();
            INDArray classTargets = MixedTargets.classTargets(labels, (int) logits.size(1));
            countCorrect(logits, classTargets);
        }
        return score;
    }

    /** Objectives give batch losses; per-example scores of the classifier come from evaluation. */
    @Override
    public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("per-example scores are not defined for a training objective; "
                + "evaluate the network's outputs instead");
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Forward f = forward(true);
        IntermediateGradients d = new IntermediateGradients(layerConf().modelSpec().depth());
        try (StepMemory.Use m = memory.use()) {
            lastValue = objective().evaluate(f, labels, own(params()), own(gradientsFlattened), d, 1.0);
            valued = f;
            try (Arena.Scope s = arena().enter()) {
                // No input gradient: the layer's input is the network's images, which nothing back-propagates
                // into (DL4J accepts a null epsilon there); TransformerNet.backward gives it to callers that want it.
                net().backward(params(), f, d, gradientsFlattened, false);
            }
        }
        return new Pair<>(publish(gradientsFlattened), null);
    }

    /** Views of the objective's own tensors in a flat vector laid out like the parameters (none for most). */
    private Map<String, INDArray> own(INDArray flat) {
        Map<String, INDArray> views = new LinkedHashMap<>();
        for (ParamLayout.Extra e : objective().params()) {
            views.put(e.name(), layerConf().layout().view(flat, e.name()));
        }
        return views;
    }

    @Override
    protected void dropPass() {
        last = null;
    }

    @Override
    public void clear() {
        super.clear();
        last = null;
        valued = null;
        lastInput = null;
        if (memory != null) {
            memory.close();
        }
    }
}
