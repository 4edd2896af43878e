package org.vitspark.dino;

import java.io.Serializable;
import java.util.Locale;
import org.vitspark.optim.DinoSchedule;

/**
 * What self-distillation pretraining needs beyond the backbone's shape (config keys ssl.*; DINO, Caron et
 * al. 2021, with the small-dataset settings of Gani et al. 2022): the projection head, the views, the
 * temperatures and the momenta, with the schedules already laid out over the run's {@code totalSteps}.
 *
 * @param hidden          projection MLP width (DINO 2048; the small-dataset code 512)
 * @param bottleneck      width before the L2 normalisation (256 in both)
 * @param prototypes      K, the output dimension (DINO 65536; the small-dataset code 1024)
 * @param globalViews     global crops per image (2)
 * @param localViews      local crops per image (8)
 * @param globalSize      global crop side in pixels (the model's image size)
 * @param localSize       local crop side in pixels (a multiple of the patch)
 * @param studentTemp     τ_s (0.1)
 * @param teacherTempStart τ_t at the start of its warm-up (0.04)
 * @param teacherTemp     τ_t after it (0.07)
 * @param teacherTempWarmup warm-up iterations of τ_t
 * @param centerMomentum  centre EMA momentum (0.9)
 * @param teacherMomentum teacher EMA momentum at the start; it rises to 1 on a cosine (0.996)
 * @param totalSteps      optimiser steps of the whole run (one worker's count)
 */
public record DinoSpec(int hidden, int bottleneck, int prototypes, int globalViews, int localViews, int globalSize,
                       int localSize, double studentTemp, double teacherTempStart, double teacherTemp,
                       long teacherTempWarmup, double centerMomentum, double teacherMomentum, long totalSteps)
        implements Serializable {

    public DinoSpec {
        if (globalViews != 2) {
            throw new IllegalArgumentException("DINO's loss pairs two global views, got " + globalViews);
        }
    }

    /** Pixels of one image's packed views (all global views, then all local ones), for {@code channels} channels. */
    public int packedLength(int channels) {
        return channels * (globalViews * globalSize * globalSize + localViews * localSize * localSize);
    }

    public DinoSchedule teacherTempSchedule() {
        return DinoSchedule.ramp(teacherTempStart, teacherTemp, teacherTempWarmup, totalSteps);
    }

    public DinoSchedule teacherMomentumSchedule() {
        return DinoSchedule.cosine(teacherMomentum, teacherMomentum, 1.0, 0, totalSteps);
    }

    public String encode() {
        return String.format(Locale.ROOT, "%d;%d;%d;%d;%d;%d;%d;%s;%s;%s;%d;%s;%s;%d", hidden, bottleneck, prototypes,
                globalViews, localViews, globalSize, localSize, studentTemp, teacherTempStart, teacherTemp,
                teacherTempWarmup, centerMomentum, teacherMomentum, totalSteps);
    }

    public static DinoSpec decode(String s) {
        String[] f = s.split(";", -1);
        if (f.length != 14) {
            throw new IllegalArgumentException("not an encoded DINO spec: " + s);
        }
        return new DinoSpec(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                Integer.parseInt(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5]), Integer.parseInt(f[6]),
                Double.parseDouble(f[7]), Double.parseDouble(f[8]), Double.parseDouble(f[9]), Long.parseLong(f[10]),
                Double.parseDouble(f[11]), Double.parseDouble(f[12]), Long.parseLong(f[13]));
    }
}
