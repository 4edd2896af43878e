package org.vitspark.config;

import java.util.Locale;
import org.vitspark.optim.Sam;
import org.vitspark.optim.WarmupDecaySchedule;

/**
 * The optimiser as configured (optim.*), with the step counts the schedule needs.
 *
 * @param warmupSteps linear warm-up length in updates
 * @param totalSteps updates in the whole run (end of the decay)
 */
public record OptimSettings(double lr, double minLr, WarmupDecaySchedule.Kind schedule, long warmupSteps,
                            long totalSteps, double weightDecay, double beta1, double beta2, double eps,
                            double clipNorm, double labelSmoothing, Sam.Mode samMode, double rho) {

    /** Reads optim.* and converts optim.warmup-epochs to steps with the given steps per epoch. */
    public static OptimSettings from(VitsparkConfig c, long stepsPerEpoch, int epochs) {
        return new OptimSettings(c.getDouble("optim.lr"), c.getDouble("optim.min-lr"),
                WarmupDecaySchedule.Kind.valueOf(c.getString("optim.schedule").toUpperCase(Locale.ROOT)),
                Math.round(c.getDouble("optim.warmup-epochs") * stepsPerEpoch), stepsPerEpoch * epochs,
                c.getDouble("optim.weight-decay"), c.getDouble("optim.beta1"), c.getDouble("optim.beta2"),
                c.getDouble("optim.eps"), c.getDouble("optim.clip-norm"), c.getDouble("optim.label-smoothing"),
                Sam.Mode.valueOf(c.getString("optim.sam.mode").toUpperCase(Locale.ROOT)), c.getDouble("optim.sam.rho"));
    }

    public WarmupDecaySchedule lrSchedule() {
        return new WarmupDecaySchedule(lr, minLr, warmupSteps, totalSteps, schedule);
    }
}
