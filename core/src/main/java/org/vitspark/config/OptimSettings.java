package org.vitspark.config;

import org.vitspark.optim.Sam;
import org.vitspark.optim.WarmupDecaySchedule;

/**
 * The optimiser a network is built with: {@link OptimConfig} with the step counts the schedule needs.
 *
 * @param warmupSteps linear warm-up length in updates
 * @param totalSteps updates in the whole run (end of the decay)
 */
public record OptimSettings(double lr, double minLr, WarmupDecaySchedule.Kind schedule, long warmupSteps,
                            long totalSteps, double weightDecay, double beta1, double beta2, double eps,
                            double clipNorm, double labelSmoothing, Sam.Mode samMode, double rho) {

    public WarmupDecaySchedule lrSchedule() {
        return new WarmupDecaySchedule(lr, minLr, warmupSteps, totalSteps, schedule);
    }
}
