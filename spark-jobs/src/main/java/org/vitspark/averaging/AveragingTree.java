package org.vitspark.averaging;

import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Sums the workers' leaves in a fixed order: groups of {@link #FAN_IN} consecutive workers are summed on
 * executors (one shuffle per level, like treeAggregate), the last level on the driver. Spark's own
 * treeAggregate combines partial results in the order tasks finish, so its float sums (and a resumed
 * run's parameters) would depend on timing; here every sum is in index order.
 */
final class AveragingTree {

    /** Leaves per group: the driver receives at most this many partial sums per round. */
    static final int FAN_IN = 8;

    private AveragingTree() {
    }

    /** The partial sums the driver receives for {@code count} leaves (at most {@link #FAN_IN}), in any order. */
    static List<PartialSum> top(JavaRDD<PartialSum> leaves, int count) {
        JavaRDD<PartialSum> level = leaves;
        int n = count;
        while (n > FAN_IN) {
            int groups = (n + FAN_IN - 1) / FAN_IN;
            // Key = group index; HashPartitioner sends key k < groups to partition k, one group per task.
            level = level.mapToPair(p -> new Tuple2<>(p.index / FAN_IN, p))
                    .groupByKey(new HashPartitioner(groups))
                    .map(g -> PartialSum.inOrder(g._1(), g._2()));
            n = groups;
        }
        return level.collect();
    }

    /** How many partial sums {@link #top} returns: the task count of the round's last stage. */
    static int topCount(int count) {
        int n = count;
        while (n > FAN_IN) {
            n = (n + FAN_IN - 1) / FAN_IN;
        }
        return n;
    }
}
