package org.vitspark.network;

import java.util.Objects;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;
import org.vitspark.search.ChannelPolicy;
import org.vitspark.search.Genome;
import org.vitspark.search.GenomeSampler;
import org.vitspark.search.SearchSpace;
import org.vitspark.search.SupernetLayout;

/**
 * ViTAS's weight-sharing supernet as one DL4J output layer ({@link SupernetLayer}): the flat vector holds
 * the shared tensors ({@link SupernetLayout}); each training step trains the sub-network of the genome that
 * (seed, step) draws, and inference runs {@link #evalGenome()} (the baseline's genome when the space holds it,
 * else the widest).
 *
 * <p>The spec it stores is the model.* spec (image size, channels, classes); the space, the channel policy,
 * the calibrated identity probability, the genome seed and the label smoothing are fields of their own.
 */
public class SupernetConf extends FlatLayerConf {

    private String space;
    private String policy;
    private double identityProb;
    private long genomeSeed;
    private double labelSmoothing;
    private String evalGenome = "";

    /** For Jackson. */
    public SupernetConf() {
    }

    private SupernetConf(Builder b) {
        super(b, b.space.base(), b.initSeed, b.dropSeed);
        this.space = b.space.encode();
        this.policy = b.policy.name();
        this.identityProb = b.identityProb;
        this.genomeSeed = b.genomeSeed;
        this.labelSmoothing = b.labelSmoothing;
        this.evalGenome = b.evalGenome;
        initializeConstraints(b);
    }

    public SearchSpace searchSpace() {
        return SearchSpace.decode(space);
    }

    public ChannelPolicy channelPolicy() {
        return ChannelPolicy.valueOf(policy);
    }

    public GenomeSampler sampler() {
        return new GenomeSampler(searchSpace(), identityProb);
    }

    /** The genome inference runs: the one set by {@link #setEvalGenome}, else the space's widest. */
    public Genome evalGenome() {
        SearchSpace s = searchSpace();
        return evalGenome == null || evalGenome.isEmpty() ? s.widest() : s.genome(evalGenome);
    }

    @Override
    protected ParamLayout buildLayout() {
        return SupernetLayout.of(searchSpace());
    }

    @Override
    protected org.deeplearning4j.nn.layers.BaseOutputLayer<?> newLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new SupernetLayer(conf, dataType);
    }

    public String getSpace() {
        return space;
    }

    public void setSpace(String space) {
        this.space = space;
        layoutChanged();
    }

    public String getPolicy() {
        return policy;
    }

    public void setPolicy(String policy) {
        this.policy = policy;
    }

    public double getIdentityProb() {
        return identityProb;
    }

    public void setIdentityProb(double identityProb) {
        this.identityProb = identityProb;
    }

    public long getGenomeSeed() {
        return genomeSeed;
    }

    public void setGenomeSeed(long genomeSeed) {
        this.genomeSeed = genomeSeed;
    }

    public double getLabelSmoothing() {
        return labelSmoothing;
    }

    public void setLabelSmoothing(double labelSmoothing) {
        this.labelSmoothing = labelSmoothing;
    }

    public String getEvalGenome() {
        return evalGenome;
    }

    /** The genome (its key) inference runs; "" = the widest. */
    public void setEvalGenome(String evalGenome) {
        this.evalGenome = evalGenome;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SupernetConf t && super.equals(o) && Objects.equals(space, t.space)
                && Objects.equals(policy, t.policy) && identityProb == t.identityProb && genomeSeed == t.genomeSeed
                && labelSmoothing == t.labelSmoothing && Objects.equals(evalGenome, t.evalGenome);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), space, policy, identityProb, genomeSeed, labelSmoothing, evalGenome);
    }

    public static final class Builder extends BaseOutputLayer.Builder<Builder> {
        private final SearchSpace space;
        private final ChannelPolicy policy;
        private double identityProb;
        private long genomeSeed;
        private double labelSmoothing;
        private String evalGenome = "";
        private long initSeed;
        private long dropSeed;

        public Builder(SearchSpace space, ChannelPolicy policy) {
            this.space = space;
            this.policy = policy;
            ModelSpec m = space.base();
            activation(Activation.SOFTMAX);
            lossFunction(new LossMCXENT());
            nIn((long) m.channels() * m.imageSize() * m.imageSize());
            nOut(m.classes());
        }

        public Builder identityProb(double v) {
            identityProb = v;
            return this;
        }

        public Builder genomeSeed(long v) {
            genomeSeed = v;
            return this;
        }

        public Builder labelSmoothing(double v) {
            labelSmoothing = v;
            return this;
        }

        /** The genome inference runs (its key); "" = the space's widest. */
        public Builder evalGenome(String v) {
            evalGenome = v;
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
        public SupernetConf build() {
            return new SupernetConf(this);
        }
    }
}
