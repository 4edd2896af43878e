package org.vitspark.config;

import java.io.Serializable;
import org.vitspark.augment.DinoViews;
import org.vitspark.augment.MultiCrop;
import org.vitspark.dino.DinoSpec;
import org.vitspark.model.ModelSpec;

/** The {@code ssl.*} keys (self-distillation pretraining), read once; reference.conf documents each. */
public record SslSettings(int hidden, int bottleneck, int prototypes, double globalScaleMin, double globalScaleMax,
                          int localCrops, int localSize, double localScaleMin, double localScaleMax, String normalize,
                          double studentTemp, double teacherTemp, double teacherTempStart, double teacherTempWarmup,
                          double centerMomentum, double teacherMomentum, double lrWarmup, double weightDecayEnd,
                          double clip, int freezeLastLayerEpochs, int knnK, double knnTemperature, int knnEveryEpochs,
                          int knnBankLimit) implements Serializable {

    static SslSettings of(VitsparkConfig c) {
        return new SslSettings(c.getInt("ssl.hidden-dim"), c.getInt("ssl.bottleneck-dim"), c.getInt("ssl.prototypes"),
                c.getDouble("ssl.global-scale-min"), c.getDouble("ssl.global-scale-max"), c.getInt("ssl.local-crops"),
                c.getInt("ssl.local-size"), c.getDouble("ssl.local-scale-min"), c.getDouble("ssl.local-scale-max"),
                c.getString("ssl.normalize"), c.getDouble("ssl.student-temp"), c.getDouble("ssl.teacher-temp"),
                c.getDouble("ssl.teacher-temp-start"), c.getDouble("ssl.teacher-temp-warmup"),
                c.getDouble("ssl.center-momentum"), c.getDouble("ssl.teacher-momentum"), c.getDouble("ssl.lr-warmup"),
                c.getDouble("ssl.weight-decay-end"), c.getDouble("ssl.clip"), c.getInt("ssl.freeze-last-layer-epochs"),
                c.getInt("ssl.knn.k"), c.getDouble("ssl.knn.temperature"), c.getInt("ssl.knn.every-epochs"),
                c.getInt("ssl.knn.bank-limit"));
    }

    /** The DINO spec of a run of {@code totalSteps} optimiser steps (schedules laid out over them). */
    public DinoSpec dino(ModelSpec m, long totalSteps) {
        return new DinoSpec(hidden, bottleneck, prototypes, 2, localCrops, m.imageSize(), localSize, studentTemp,
                teacherTempStart, teacherTemp, Math.round(teacherTempWarmup * totalSteps), centerMomentum,
                teacherMomentum, totalSteps);
    }

    /** The views' augmentation for a model of {@code m}'s image size. */
    public DinoViews views(ModelSpec m) {
        return new DinoViews(new MultiCrop.View(globalScaleMin, globalScaleMax, m.imageSize()),
                new MultiCrop.View(localScaleMin, localScaleMax, localSize), localCrops, "normalize(" + normalize + ")");
    }
}
