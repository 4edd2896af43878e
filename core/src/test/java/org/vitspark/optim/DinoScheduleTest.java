package org.vitspark.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * DINO's schedules at chosen iterations, against values printed by DINO's own {@code cosine_scheduler}
 * (numpy; 20 epochs × 7 iterations) and its teacher-temperature array.
 */
public class DinoScheduleTest {

    @Test
    void learningRateWarmupThenCosine() {
        // cosine_scheduler(5e-4·128/256, 1e-6, 20, 7, warmup_epochs=3)
        DinoSchedule lr = DinoSchedule.cosine(0, 2.5e-4, 1e-6, 21, 140);
        assertEquals(0.0, lr.at(0), 1e-18);
        assertEquals(1.25e-05, lr.at(1), 1e-18);
        assertEquals(0.000125, lr.at(10), 1e-18);
        assertEquals(0.00025, lr.at(20), 1e-18);
        assertEquals(0.00025, lr.at(21), 1e-18);
        assertEquals(0.0002499566169626717, lr.at(22), 1e-18);
        assertEquals(0.00015957104226397434, lr.at(70), 1e-18);
        assertEquals(1.0433830373283032e-06, lr.at(139), 1e-18);
        assertEquals(lr.at(139), lr.at(500), 0, "holds its last value past the end");
    }

    @Test
    void weightDecayAndTeacherMomentum() {
        DinoSchedule wd = DinoSchedule.cosine(0.04, 0.04, 0.4, 0, 140);
        assertEquals(0.03999999999999998, wd.at(0), 1e-16);
        assertEquals(0.040045317710348804, wd.at(1), 1e-16);
        assertEquals(0.22, wd.at(70), 1e-16);
        assertEquals(0.39995468228965125, wd.at(139), 1e-16);
        DinoSchedule mom = DinoSchedule.cosine(0.996, 0.996, 1, 0, 140);
        assertEquals(0.996, mom.at(0), 1e-16);
        assertEquals(0.9960005035301149, mom.at(1), 1e-16);
        assertEquals(0.998, mom.at(70), 1e-16);
        assertEquals(0.9999994964698851, mom.at(139), 1e-16);
    }

    @Test
    void teacherTemperatureRamp() {
        // np.concatenate((np.linspace(0.04, 0.07, 5), np.ones(15) * 0.07)), here per iteration
        DinoSchedule tt = DinoSchedule.ramp(0.04, 0.07, 5, 20);
        assertEquals(0.04, tt.at(0), 1e-16);
        assertEquals(0.0475, tt.at(1), 1e-16);
        assertEquals(0.05500000000000001, tt.at(2), 1e-16);
        assertEquals(0.07, tt.at(4), 1e-16);
        assertEquals(0.07, tt.at(5), 1e-16);
        assertEquals(0.07, tt.at(19), 1e-16);
    }
}
