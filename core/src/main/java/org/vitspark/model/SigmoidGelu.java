package org.vitspark.model;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * GELU in its sigmoid form x·σ(1.702x) (Hendrycks and Gimpel 2016, section 2), with a derivative that
 * stays finite. DL4J 1.0.0-M2.1's {@code Activation.GELU} returns NaN derivatives for inputs above
 * about 30 in float (docs/decisions.md D9), which turned a healthy training run into NaN in one step.
 */
public final class SigmoidGelu extends BaseActivationFunction {

    private static final double K = 1.702;

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        INDArray s = Transforms.sigmoid(in.mul(K), false);
        return in.muli(s);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        // d/dx x·σ(kx) = σ(kx) + kx·σ(kx)(1-σ(kx)); σ saturates to 0/1, so no inf/inf appears.
        INDArray s = Transforms.sigmoid(in.mul(K), false);
        INDArray grad = s.rsub(1.0).muli(s).muli(in).muli(K).addi(s);
        in.assign(grad.muli(epsilon));
        return new Pair<>(in, null);
    }

    @Override
    public String toString() {
        return "sigmoid-gelu";
    }
}
