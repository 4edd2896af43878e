package org.vitspark.eval;

import java.io.Serializable;
import org.nd4j.evaluation.classification.Evaluation;

/** One evaluation task's counts: DL4J's Evaluation (top-1/top-5) and the summed cross-entropy. */
final class EvalPart implements Serializable {

    private static final long serialVersionUID = 1L;

    final Evaluation eval;
    double lossSum;
    long images;

    EvalPart(Evaluation eval) {
        this.eval = eval;
    }

    EvalPart merge(EvalPart o) {
        eval.merge(o.eval);
        lossSum += o.lossSum;
        images += o.images;
        return this;
    }
}
