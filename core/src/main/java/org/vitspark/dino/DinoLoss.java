package org.vitspark.dino;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * DINO's self-distillation loss (Caron et al. 2021, eq. 1 and Algorithm 1; DINOLoss of the reference code):
 * for every teacher global view i and every student view v ≠ i, the cross-entropy between the centred,
 * sharpened teacher distribution softmax((t_i − c)/τ_t) and the student's softmax(s_v/τ_s), averaged over
 * the batch and over the 2(V − 1) pairs. The teacher side is a constant (stop-gradient). After the loss,
 * the centre moves towards the batch mean of the teacher's raw outputs (both global views):
 * c ← m·c + (1 − m)·mean.
 */
public final class DinoLoss {

    /** The loss, its gradient with respect to each student view's logits, and the collapse monitors. */
    public record Value(double loss, INDArray[] dStudent, double teacherEntropy, double klTeacherStudent) {
    }

    private DinoLoss() {
    }

    /**
     * @param student   per view [B, K] logits, the global views first
     * @param teacher   per global view [B, K] raw logits (its head's output before centring)
     * @param center    [1, K]
     * @param wantGrads also return d loss / d student logits
     */
    public static Value evaluate(INDArray[] student, INDArray[] teacher, INDArray center, double studentTemp,
                                 double teacherTemp, boolean wantGrads) {
        int views = student.length;
        int globals = teacher.length;
        long b = student[0].size(0);
        INDArray[] q = new INDArray[globals];
        double[] hq = new double[globals];
        double entropy = 0;
        for (int i = 0; i < globals; i++) {
            q[i] = Transforms.softmax(teacher[i].subRowVector(center).divi(teacherTemp), true);
            // mean entropy of the teacher's rows (0·log 0 counts as 0; 1e-30 is representable in float)
            hq[i] = -q[i].mul(Transforms.log(q[i].add(1e-30), false)).sum(1).meanNumber().doubleValue();
            entropy += hq[i] / globals;
        }
        INDArray[] p = new INDArray[views];
        INDArray[] logP = new INDArray[views];
        for (int v = 0; v < views; v++) {
            logP[v] = logSoftmax(student[v].div(studentTemp));
            p[v] = Transforms.exp(logP[v], true);
        }
        double loss = 0;
        double kl = 0;
        int pairs = 0;
        for (int i = 0; i < globals; i++) {
            for (int v = 0; v < views; v++) {
                if (v == i) {
                    continue; // the same view seen by both networks carries no signal
                }
                double ce = -q[i].mul(logP[v]).sum(1).meanNumber().doubleValue();
                loss += ce;
                kl += ce - hq[i]; // KL(q‖p) = H(q, p) − H(q)
                pairs++;
            }
        }
        loss /= pairs;
        kl /= pairs;
        INDArray[] d = null;
        if (wantGrads) {
            // d/ds_v of −Σ_k q_k log softmax(s_v/τ_s)_k = (p_v − q)/τ_s, per pair; mean over batch and pairs
            d = new INDArray[views];
            double scale = 1.0 / ((double) pairs * b * studentTemp);
            for (int v = 0; v < views; v++) {
                INDArray g = Nd4j.zeros(student[v].dataType(), student[v].shape());
                for (int i = 0; i < globals; i++) {
                    if (i != v) {
                        g.addi(p[v]).subi(q[i]);
                    }
                }
                d[v] = g.muli(scale);
            }
        }
        return new Value(loss, d, entropy, kl);
    }

    /** Row-wise log softmax, max-shifted. */
    static INDArray logSoftmax(INDArray x) {
        INDArray shifted = x.subColumnVector(x.max(1).reshape(x.size(0), 1));
        INDArray lse = Transforms.log(Transforms.exp(shifted, true).sum(1), false).reshape(x.size(0), 1);
        return shifted.subiColumnVector(lse);
    }

    /** c ← m·c + (1 − m)·(mean over every global view's rows of the teacher's raw logits), in place. */
    public static void updateCenter(INDArray center, INDArray[] teacher, double momentum) {
        INDArray sum = Nd4j.zeros(center.dataType(), center.shape());
        long rows = 0;
        for (INDArray t : teacher) {
            sum.addi(t.sum(0).reshape(center.shape()));
            rows += t.size(0);
        }
        center.muli(momentum).addi(sum.divi(rows).muli(1 - momentum));
    }
}
