package org.vitspark.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The dominant eigenvalue of a symmetric operator (the loss Hessian) by power iteration:
 * λ = ⟨v, Hv⟩, v ← Hv / ‖Hv‖, until |λ_new − λ_old| / |λ_old| < tolerance (docs/diagnostics.md). With a support mask the operator is restricted to those coordinates (P H P), which gives
 * the per-component λmax of the paper's Table 3. "Dominant" means largest in magnitude: a Hessian with a
 * larger negative than positive eigenvalue yields the negative one, reported with its sign.
 */
public final class PowerIteration {

    /**
     * @param eigenvalue the last estimate ⟨v, Hv⟩ with ‖v‖ = 1
     * @param history the estimate after each iteration
     */
    public record Result(double eigenvalue, int iterations, boolean converged, List<Double> history) {
    }

    /** Called after every iteration with its number and estimate (progress output). */
    public interface Progress {
        void iteration(int number, double estimate);
    }

    private PowerIteration() {
    }

    /**
     * @param hvp the operator; must not modify its argument
     * @param start the initial vector (a random Gaussian one); not modified
     * @param mask 1 on the coordinates the operator is restricted to, 0 elsewhere; null = all
     */
    public static Result run(UnaryOperator<INDArray> hvp, INDArray start, INDArray mask, double tolerance,
                             int maxIterations, Progress progress) {
        INDArray v = mask == null ? start.dup() : start.mul(mask);
        double norm = v.norm2Number().doubleValue();
        if (norm == 0) {
            throw new IllegalArgumentException("power iteration needs a non-zero start vector on the mask's support");
        }
        v.divi(norm);
        List<Double> history = new ArrayList<>();
        double lambda = Double.NaN;
        for (int i = 1; i <= maxIterations; i++) {
            INDArray hv = hvp.apply(v);
            if (mask != null) {
                hv.muli(mask);
            }
            double next = v.mul(hv).sumNumber().doubleValue();
            history.add(next);
            progress.iteration(i, next);
            double hvNorm = hv.norm2Number().doubleValue();
            boolean converged = i > 1 && Math.abs(next - lambda) <= tolerance * Math.abs(lambda);
            lambda = next;
            if (converged || hvNorm == 0) {
                return new Result(lambda, i, true, history);
            }
            if (!Double.isFinite(hvNorm)) {
                throw new ArithmeticException("Hessian-vector product is not finite at iteration " + i);
            }
            v = hv.divi(hvNorm);
        }
        return new Result(lambda, maxIterations, false, history);
    }
}
