package org.vitspark.config;

import java.io.Serializable;

/**
 * {@code loss.*}: the auxiliary losses' weights (0 = off) and the contrastive anchor; cross-entropy on the
 * class head is always part of the objective.
 */
public record LossSettings(double patchCosine, double patchContrastive, String contrastiveAnchor,
                           double patchMixing) implements Serializable {

    public boolean anyPatchLoss() {
        return patchCosine > 0 || patchContrastive > 0 || patchMixing > 0;
    }
}
