package org.vitspark.network;

import java.util.Objects;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;
import org.vitspark.objective.Objective;
import org.vitspark.objective.ObjectiveSpec;
import org.vitspark.objective.Objectives;

/**
 * The whole ViT/Mixer as one DL4J output layer: images in, class probabilities out, and a training
 * objective ({@link ObjectiveSpec}: cross-entropy with label smoothing, or any sum of objectives on the
 * pass's intermediates) as its loss. One layer means DL4J's flat parameter and updater vectors, its
 * serialisation and its Spark training master all work unchanged, while the forward and backward passes
 * are ours ({@link org.vitspark.model.TransformerNet}); per-layer gradient clipping of a single layer is
 * global-norm clipping. The flat vector holds the model's tensors, then the objective's (if it owns any).
 */
public class TransformerConf extends FlatLayerConf {

    private String objective;

    /** For Jackson. */
    public TransformerConf() {
    }

    private TransformerConf(Builder b) {
        super(b, b.spec, b.initSeed, b.dropSeed);
        this.objective = b.objective.encode();
        initializeConstraints(b);
    }

    public ObjectiveSpec objectiveSpec() {
        return objective == null ? ObjectiveSpec.crossEntropy(0) : ObjectiveSpec.decode(objective);
    }

    /** A new instance of the configured objective. */
    public Objective buildObjective() {
        return Objectives.build(objectiveSpec(), modelSpec());
    }

    /** The model's tensors followed by the objective's. */
    @Override
    protected ParamLayout buildLayout() {
        return ParamLayout.of(modelSpec(), buildObjective().params());
    }

    @Override
    protected org.deeplearning4j.nn.layers.BaseOutputLayer<?> newLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new TransformerLayer(conf, dataType);
    }

    public String getObjective() {
        return objective;
    }

    public void setObjective(String objective) {
        this.objective = objective;
        layoutChanged();
    }

    /** Reads configurations saved before objectives existed (their loss was cross-entropy with this smoothing). */
    public void setLabelSmoothing(double labelSmoothing) {
        if (objective == null) {
            setObjective(ObjectiveSpec.crossEntropy(labelSmoothing).encode());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransformerConf t && super.equals(o) && Objects.equals(objective, t.objective);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), objective);
    }

    public static final class Builder extends BaseOutputLayer.Builder<Builder> {
        private final ModelSpec spec;
        private ObjectiveSpec objective = ObjectiveSpec.crossEntropy(0);
        private long initSeed;
        private long dropSeed;

        public Builder(ModelSpec spec) {
            this.spec = spec;
            // What the layer computes, stated for DL4J's output-layer validation and evaluation.
            activation(Activation.SOFTMAX);
            lossFunction(new LossMCXENT());
            nIn((long) spec.channels() * spec.imageSize() * spec.imageSize());
            nOut(spec.classes());
        }

        public Builder objective(ObjectiveSpec v) {
            objective = v;
            return this;
        }

        public Builder initSeed(long v) {
            initSeed = v;
            return this;
        }

        public Builder dropSeed(long v) {
            dropSeed = v;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public TransformerConf build() {
            return new TransformerConf(this);
        }
    }
}
