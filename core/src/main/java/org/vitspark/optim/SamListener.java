package org.vitspark.optim;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SAM inside DL4J's step: called after the first forward/backward at w, it moves to w + ε, recomputes
 * the gradient there on the same minibatch (same dropout masks: they derive from the iteration), moves
 * back to w and leaves g(w + ε) in the gradient vector. DL4J then clips it (global norm) and applies
 * AdamW at w. The score stays the clean loss L(w), which is what gets logged. Serializable, so Spark's
 * parameter-averaging workers run it on their local minibatches (m-sharpness per worker).
 */
public final class SamListener extends BaseTrainingListener implements java.io.Serializable {

    private final Sam.Mode mode;
    private final double rho;
    private transient double lastCleanLoss = Double.NaN;
    private transient double lastPerturbedLoss = Double.NaN;
    private transient INDArray eps;

    public SamListener(Sam.Mode mode, double rho) {
        if (mode == Sam.Mode.OFF) {
            throw new IllegalArgumentException("SamListener needs mode sam or asam");
        }
        this.mode = mode;
        this.rho = rho;
    }

    @Override
    public void onGradientCalculation(Model model) {
        ComputationGraph graph = (ComputationGraph) model;
        INDArray w = graph.params();
        INDArray g = graph.getGradientsViewArray().reshape(w.shape()); // DL4J keeps it rank 1, params [1, n]
        double clean = graph.score();
        if (eps == null || !java.util.Arrays.equals(eps.shape(), g.shape()) || eps.dataType() != g.dataType()) {
            eps = Nd4j.createUninitialized(g.dataType(), g.shape());
        }
        Sam.perturbation(mode, rho, w, g, eps);
        w.addi(eps);
        graph.computeGradientAndScore(); // overwrites the gradient view with g(w + ε)
        lastPerturbedLoss = graph.score();
        w.subi(eps);
        graph.setScore(clean);
        lastCleanLoss = clean;
    }

    public double lastCleanLoss() {
        return lastCleanLoss;
    }

    public double lastPerturbedLoss() {
        return lastPerturbedLoss;
    }
}
