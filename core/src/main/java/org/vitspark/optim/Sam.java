package org.vitspark.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sharpness-aware minimisation's ascent step (Foret et al. 2021, Algorithm 1): with one
 * L2 norm over all parameters, ε = ρ·g / (‖g‖₂ + 1e-12); ASAM (Kwon et al. 2021, as davda54/sam
 * implements it) uses T_w = |w|: ε = ρ·w²⊙g / (‖|w|⊙g‖₂ + 1e-12).
 */
public final class Sam {

    public enum Mode { OFF, SAM, ASAM }

    /** The 1e-12 big_vision and davda54/sam add to the norm. */
    static final double NORM_EPS = 1e-12;

    private Sam() {
    }

    /** A new array ε for parameters w with gradient g. */
    public static INDArray perturbation(Mode mode, double rho, INDArray w, INDArray g) {
        return perturbation(mode, rho, w, g, Nd4j.createUninitialized(g.dataType(), g.shape()));
    }

    /**
     * ε for parameters w with gradient g, written into {@code out} (same shape; the caller reuses it across
     * steps: a fresh parameter-sized array costs page faults comparable to the arithmetic).
     */
    public static INDArray perturbation(Mode mode, double rho, INDArray w, INDArray g, INDArray out) {
        if (mode == Mode.ASAM) {
            w.mul(g, out); // w⊙g has the L2 norm of |w|⊙g
            double norm = out.norm2Number().doubleValue();
            return out.muli(w).muli(rho / (norm + NORM_EPS)); // w²⊙g
        }
        double norm = g.norm2Number().doubleValue();
        return g.mul(rho / (norm + NORM_EPS), out);
    }
}
