package org.vitspark.averaging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.Success$;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.scheduler.TaskInfo;
import scala.collection.JavaConverters;

/**
 * Where a round's Spark job spends the time around the workers' own work, from Spark's task metrics: the
 * delay from job submission to the last task's launch, the tasks' deserialisation (closure and task
 * binary), the serialisation of their results and the driver's fetch of results too large to travel with
 * the status update. Jobs are matched to rounds by a local property; Spark's listener bus is
 * asynchronous, so a round waits briefly for its tasks' end events.
 */
final class RoundTimer extends SparkListener {

    static final String PROPERTY = "vitspark.round";

    /** Slowest task's figures in seconds (NaN when the events did not arrive in time). */
    record Timing(double launch, double deserialize, double serialize, double fetch) {
        static final Timing UNKNOWN = new Timing(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        /** A round without a Spark job of its own (a round segment's). */
        static final Timing NONE = new Timing(0, 0, 0, 0);
    }

    private static final class Pending {
        final CountDownLatch tasks;
        volatile long jobStart;
        double launch;
        double deserialize;
        double serialize;
        double fetch;

        Pending(int tasks) {
            this.tasks = new CountDownLatch(tasks);
        }
    }

    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<Integer, String> stageRound = new ConcurrentHashMap<>();

    /** Tags the jobs this thread submits until {@link #finish} as one round whose last stage has {@code tasks}. */
    String begin(JavaSparkContext sc, int tasks) {
        String id = String.valueOf(ids.incrementAndGet());
        pending.put(id, new Pending(tasks));
        sc.setLocalProperty(PROPERTY, id);
        return id;
    }

    /** The round's figures, waiting up to 200 ms for Spark's listener bus to deliver them (NaN if it did not). */
    Timing finish(JavaSparkContext sc, String id) {
        sc.setLocalProperty(PROPERTY, null);
        Pending p = pending.get(id);
        try {
            if (p == null || !p.tasks.await(200, TimeUnit.MILLISECONDS)) {
                return Timing.UNKNOWN;
            }
            synchronized (p) {
                return new Timing(p.launch, p.deserialize, p.serialize, p.fetch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Timing.UNKNOWN;
        } finally {
            pending.remove(id);
            stageRound.values().removeIf(id::equals);
        }
    }

    @Override
    public void onJobStart(SparkListenerJobStart e) {
        String id = e.properties() == null ? null : e.properties().getProperty(PROPERTY);
        Pending p = id == null ? null : pending.get(id);
        if (p == null) {
            return;
        }
        p.jobStart = e.time();
        for (StageInfo s : JavaConverters.seqAsJavaList(e.stageInfos())) {
            stageRound.put(s.stageId(), id);
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        String id = stageRound.get(e.stageId());
        Pending p = id == null ? null : pending.get(id);
        if (p == null || !(e.reason() instanceof Success$) || !"ResultTask".equals(e.taskType())) {
            return;
        }
        TaskInfo info = e.taskInfo();
        TaskMetrics m = e.taskMetrics();
        synchronized (p) {
            p.launch = Math.max(p.launch, (info.launchTime() - p.jobStart) / 1e3);
            p.deserialize = Math.max(p.deserialize, m.executorDeserializeTime() / 1e3);
            p.serialize = Math.max(p.serialize, m.resultSerializationTime() / 1e3);
            if (info.gettingResultTime() > 0) {
                p.fetch = Math.max(p.fetch, (info.finishTime() - info.gettingResultTime()) / 1e3);
            }
        }
        p.tasks.countDown();
    }
}
