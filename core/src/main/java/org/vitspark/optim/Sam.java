package org.vitspark.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Sharpness-aware minimisation's ascent step (Foret et al. 2021; algorithms.md section 1(a)): with one
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
        if (mode == Mode.ASAM) {
            INDArray absW = Transforms.abs(w, true);
            double norm = absW.mul(g).norm2Number().doubleValue();
            return absW.muli(absW).muli(g).muli(rho / (norm + NORM_EPS));
        }
        double norm = g.norm2Number().doubleValue();
        return g.mul(rho / (norm + NORM_EPS));
    }
}
