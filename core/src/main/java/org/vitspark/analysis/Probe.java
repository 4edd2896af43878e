package org.vitspark.analysis;

import java.io.Serializable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.vitspark.objective.SoftTargetCrossEntropy;
import org.vitspark.model.Forward;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.TransformerNet;

/**
 * The loss sums the diagnostics are made of, over a fixed image set, with the model in evaluation mode
 * (no dropout, no drop path) and the plain cross-entropy: no label smoothing, no weight decay
 * (Chen, Hsieh, Gong 2021 measure λmax on the training loss; docs/diagnostics.md). Everything is a sum over images, so the parts of a
 * subset held by different workers add up to the whole; the caller divides by the image count.
 */
public final class Probe {

    /** Summed loss and correct predictions over {@code images} images. */
    public record LossSums(double loss, long correct, long images) implements Serializable {

        public LossSums plus(LossSums o) {
            return new LossSums(loss + o.loss, correct + o.correct, images + o.images);
        }

        public double meanLoss() {
            return loss / images;
        }

        public double accuracy() {
            return (double) correct / images;
        }
    }

    private final TransformerNet net;
    private final int batch;

    public Probe(ModelSpec spec, int batch) {
        this.net = new TransformerNet(spec);
        this.batch = batch;
    }

    public TransformerNet net() {
        return net;
    }

    public LossSums loss(INDArray params, LabelledImages data) {
        double loss = 0;
        long correct = 0;
        DataType t = params.dataType();
        for (int from = 0; from < data.count(); from += batch) {
            int to = Math.min(data.count(), from + batch);
            INDArray logits = net.forward(params, data.images(from, to, t), false, 0, false).logits();
            INDArray y = data.oneHot(from, to, t);
            loss += SoftTargetCrossEntropy.perExample(logits, y, 0).sumNumber().doubleValue();
            INDArray predicted = logits.argMax(1);
            for (int i = from; i < to; i++) {
                correct += predicted.getInt(i - from) == data.labels()[i] ? 1 : 0;
            }
        }
        return new LossSums(loss, correct, data.count());
    }

    /** Adds Σ over images of ∇ per-image loss into {@code sumOut}; returns the summed loss. */
    public double addGradient(INDArray params, LabelledImages data, INDArray sumOut) {
        double loss = 0;
        DataType t = params.dataType();
        INDArray g = Nd4j.create(t, params.shape());
        for (int from = 0; from < data.count(); from += batch) {
            int to = Math.min(data.count(), from + batch);
            Forward f = net.forward(params, data.images(from, to, t), false, 0, true);
            INDArray y = data.oneHot(from, to, t);
            loss += SoftTargetCrossEntropy.perExample(f.logits(), y, 0).sumNumber().doubleValue();
            // d(Σ_i loss_i)/d logits = softmax − y, row by row (not divided by the batch: sums add up across parts)
            INDArray dLogits = Transforms.softmax(f.logits(), true).subi(y);
            net.backward(params, f, dLogits, g, false);
            sumOut.addi(g);
        }
        return loss;
    }

    /** Neuron activity, over-smoothing and attention maps of the first {@code maxMaps} images. */
    public ActivityStats activity(INDArray params, LabelledImages data, int maxMaps) {
        ModelSpec spec = net.spec();
        ActivityStats stats = new ActivityStats(spec.depth(), spec.family() == ModelSpec.Family.MIXER);
        for (int from = 0; from < data.count(); from += batch) {
            int to = Math.min(data.count(), from + batch);
            INDArray x = data.images(from, to, params.dataType());
            Forward f = net.forward(params, x, false, 0, true);
            stats.add(spec, f.intermediates(), x, java.util.Arrays.copyOfRange(data.labels(), from, to), maxMaps);
        }
        return stats;
    }

    /**
     * Adds Σ over images of H_i·v into {@code sumOut} by central differences of gradients:
     * H v ≈ (∇L(w + r v) − ∇L(w − r v)) / 2r, error O(r²) (docs/diagnostics.md). The
     * hand-written backward pass has no second-order mode, so this is the Hessian-vector product used.
     */
    public void addHessianVector(INDArray params, INDArray v, double step, LabelledImages data, INDArray sumOut) {
        INDArray up = Nd4j.create(params.dataType(), params.shape());
        INDArray down = Nd4j.create(params.dataType(), params.shape());
        addGradient(params.add(v.mul(step)), data, up);
        addGradient(params.sub(v.mul(step)), data, down);
        sumOut.addi(up.subi(down).divi(2 * step));
    }
}
