package org.vitspark.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.TransformerNet;
import org.vitspark.network.Networks;
import org.vitspark.network.TransformerLayer;
import org.vitspark.config.OptimSettings;

/** SAM's step checked against hand computation in double precision. */
class SamTest {

    @Test
    void perturbationIsRhoTimesTheUnitGradientAndAsamScalesByWeights() {
        INDArray w = Nd4j.createFromArray(1.0, -2.0, 0.5);
        INDArray g = Nd4j.createFromArray(3.0, 4.0, 0.0);
        INDArray e = Sam.perturbation(Sam.Mode.SAM, 0.1, w, g);
        assertEquals(0.1 * 3 / (5 + 1e-12), e.getDouble(0), 1e-16);  // ρ·g/(‖g‖ + 1e-12), ‖g‖ = 5
        assertEquals(0.1 * 4 / (5 + 1e-12), e.getDouble(1), 1e-16);
        INDArray a = Sam.perturbation(Sam.Mode.ASAM, 0.1, w, g);
        double norm = Math.sqrt(3 * 3 + 8 * 8);     // ‖|w|⊙g‖ = ‖(3, 8, 0)‖
        assertEquals(0.1 * 1 * 3 / (norm + 1e-12), a.getDouble(0), 1e-16);  // ρ·w²⊙g/(‖|w|⊙g‖ + 1e-12)
        assertEquals(0.1 * 4 * 4 / (norm + 1e-12), a.getDouble(1), 1e-16);
        assertEquals(0.0, a.getDouble(2), 0.0);
    }

    /**
     * L(w) = (1/n)·Σ (x_i·w − y_i)² is a quadratic: ∇L(w) = (2/n)·Xᵀ(Xw − y). One SGD step through the
     * DL4J network with the SAM listener must equal w − lr·∇L(w + ρ·∇L(w)/‖∇L(w)‖).
     */
    @Test
    void listenerTakesTheExactSamStepOnAQuadratic() {
        double[][] x = {{1.0, 2.0}, {-1.0, 0.5}, {0.3, -2.0}};
        double[] y = {1.0, -2.0, 0.5};
        double[] w0 = {0.7, -0.3};
        double lr = 0.1;
        double rho = 0.05;

        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .updater(new Sgd(lr)).graphBuilder().addInputs("x")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(2).nOut(1)
                        .hasBias(false).activation(Activation.IDENTITY).build(), "x")
                .setOutputs("out").build());
        net.init();
        net.params().assign(Nd4j.createFromArray(w0).reshape(1, 2));
        net.setListeners(new SamListener(Sam.Mode.SAM, rho));
        net.fit(new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y).reshape(3, 1)));

        double[] g = gradient(x, y, w0);
        double norm = Math.hypot(g[0], g[1]);
        double[] perturbed = {w0[0] + rho * g[0] / (norm + 1e-12), w0[1] + rho * g[1] / (norm + 1e-12)};
        double[] gs = gradient(x, y, perturbed);
        assertEquals(w0[0] - lr * gs[0], net.params().getDouble(0), 1e-12);
        assertEquals(w0[1] - lr * gs[1], net.params().getDouble(1), 1e-12);
        // the score that gets logged is the clean loss at w0
        assertEquals(loss(x, y, w0), net.score(), 1e-12);
    }

    private static double[] gradient(double[][] x, double[] y, double[] w) {
        double[] g = new double[2];
        for (int i = 0; i < x.length; i++) {
            double r = x[i][0] * w[0] + x[i][1] * w[1] - y[i];
            g[0] += 2 * r * x[i][0] / x.length;
            g[1] += 2 * r * x[i][1] / x.length;
        }
        return g;
    }

    private static double loss(double[][] x, double[] y, double[] w) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double r = x[i][0] * w[0] + x[i][1] * w[1] - y[i];
            s += r * r / x.length;
        }
        return s;
    }

    /**
     * On the ViT with dropout and drop path, the listener's step equals a manual SAM step through
     * {@link TransformerNet} with the same dropout masks in both passes (SGD, lr 1, no clipping).
     */
    @Test
    void listenerOnTheVitEqualsManualSamWithReplayedDropoutMasks() {
        ModelSpec m = new ModelSpec("sam", ModelSpec.Family.VIT, 8, 1, 3, 4, 8, 2, 2, 12, 0,
                ModelSpec.Pooling.CLS, 0.2, 0.3, true);
        OptimSettings o = new OptimSettings(1.0, 0, WarmupDecaySchedule.Kind.CONSTANT, 0, 10, 0, 0.9, 0.999, 1e-8,
                0, 0.1, Sam.Mode.SAM, 0.05);
        ComputationGraph net = Networks.build(m, o, new Sgd(1.0), 21, DataType.DOUBLE);
        net.params().muli(10);
        INDArray images = Nd4j.rand(DataType.DOUBLE, 4, 1, 8, 8);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 4, 3);
        for (int i = 0; i < 4; i++) {
            labels.putScalar(i, i % 3, 1.0);
        }
        INDArray w0 = net.params().dup();
        long dropSeed = dropSeedOf(net);

        TransformerNet manual = new TransformerNet(m);
        INDArray g1 = gradientAt(manual, w0, images, labels, dropSeed);
        INDArray wp = w0.add(g1.mul(0.05 / (g1.norm2Number().doubleValue() + 1e-12)));
        INDArray g2 = gradientAt(manual, wp, images, labels, dropSeed);
        INDArray expected = w0.sub(g2);

        net.setListeners(new SamListener(Sam.Mode.SAM, 0.05));
        net.fit(new DataSet(images, labels));
        double maxDiff = net.params().sub(expected).amaxNumber().doubleValue();
        assertEquals(0.0, maxDiff, 1e-12);
    }

    private static long dropSeedOf(ComputationGraph net) {
        return ((TransformerLayer) net.getLayer(Networks.LAYER)).currentDropSeed();
    }

    private static INDArray gradientAt(TransformerNet net, INDArray w, INDArray x, INDArray y, long dropSeed) {
        var f = net.forward(w, x, true, dropSeed, true);
        INDArray g = Nd4j.zeros(DataType.DOUBLE, w.shape());
        net.backward(w, f, org.vitspark.objective.SoftTargetCrossEntropy.gradient(f.logits(), y, 0.1), g, false);
        return g;
    }
}
