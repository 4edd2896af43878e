package org.vitspark.config;

import java.io.Serializable;
import org.vitspark.optim.Sam;
import org.vitspark.optim.WarmupDecaySchedule;

/**
 * {@code optim.*} as configured: the optimiser and its schedule in epochs. {@link #forSteps} turns it into
 * the {@link OptimSettings} a network is built with once the steps per epoch are known (from the data).
 *
 * @param optimizer adamw, or sgd (plain SGD: the averaging equivalence tests use it)
 */
public record OptimConfig(String optimizer, double lr, double minLr, WarmupDecaySchedule.Kind schedule,
                          double warmupEpochs, double weightDecay, double beta1, double beta2, double eps,
                          double clipNorm, double labelSmoothing, Sam.Mode samMode, double rho) implements Serializable {

    /** The optimiser for {@code epochs} epochs of {@code stepsPerEpoch} updates (warm-up rounded to whole steps). */
    public OptimSettings forSteps(long stepsPerEpoch, int epochs) {
        return new OptimSettings(lr, minLr, schedule, Math.round(warmupEpochs * stepsPerEpoch), stepsPerEpoch * epochs,
                weightDecay, beta1, beta2, eps, clipNorm, labelSmoothing, samMode, rho);
    }
}
