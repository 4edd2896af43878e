package org.vitspark.averaging;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A sum of workers' parameters and updater states, with the reports of every worker it covers. Sums are
 * always formed in worker order, so an average is the same bits however Spark schedules the tasks or
 * retries them: that is what makes a resumed or retried run equal an uninterrupted one.
 */
public final class PartialSum implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Position at the current level of the reduction tree (the worker index at the leaves). */
    final int index;
    INDArray params;
    INDArray updater;
    /** Workers whose parameters are in the sum (a worker without data or with a skipped non-finite step is not). */
    int contributors;
    final TreeMap<Integer, WorkerReport> reports = new TreeMap<>();

    PartialSum(int index) {
        this.index = index;
    }

    /** A leaf: one worker's result; null parameters = no contribution. */
    static PartialSum of(WorkerReport report, INDArray params, INDArray updater) {
        PartialSum p = new PartialSum(report.worker);
        p.reports.put(report.worker, report);
        if (params != null) {
            p.params = params;
            p.updater = updater;
            p.contributors = 1;
        }
        return p;
    }

    /**
     * The sum of {@code parts} taken in index order, labelled {@code index}. It accumulates into the first
     * contributing part's arrays rather than a copy of them (the same floats, one allocation less per
     * round): every caller's parts are freshly deserialised results that nothing else reads.
     */
    static PartialSum inOrder(int index, Iterable<PartialSum> parts) {
        List<PartialSum> sorted = new ArrayList<>();
        parts.forEach(sorted::add);
        sorted.sort(Comparator.comparingInt(p -> p.index));
        PartialSum sum = new PartialSum(index);
        for (PartialSum p : sorted) {
            sum.reports.putAll(p.reports);
            if (p.contributors == 0) {
                continue;
            }
            sum.params = sum.params == null ? p.params : sum.params.addi(p.params);
            if (p.updater != null) {
                sum.updater = sum.updater == null ? p.updater : sum.updater.addi(p.updater);
            }
            sum.contributors += p.contributors;
        }
        return sum;
    }
}
