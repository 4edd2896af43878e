package org.vitspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's YARN command, {@code deploy/submit-yarn train ...} in cluster deploy mode, against a real YARN
 * cluster in this JVM (hadoop-minicluster's MiniYARNCluster, as Spark's own YARN suite does): the driver
 * runs in the application master's container and the two workers in executor containers, all separate
 * JVMs started by the node manager. No Spark install: deploy/submit ships the Spark jars Maven resolved.
 */
class YarnClusterIT {

    @TempDir
    Path dir;

    private MiniYARNCluster yarn;
    private Path confDir;

    @BeforeEach
    void startYarn() throws Exception {
        YarnConfiguration conf = new YarnConfiguration();
        // The mini cluster's node manager runs containers on this machine: room for the driver and two
        // 1g executors, and no memory policing of ND4J's off-heap arrays (Spark's YARN suite does the same).
        conf.setInt(YarnConfiguration.YARN_MINICLUSTER_NM_PMEM_MB, 8192); // MiniYARNCluster's default, 4096, fits only one executor
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 8192);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
        // hadoop-client-minicluster has no capacity-scheduler.xml: one queue, "default"
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
        conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
        conf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
        conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
        conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
        conf.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 0.5f);
        conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1); // one node: no waiting for locality
        conf.set(YarnConfiguration.RM_HOSTNAME, "127.0.0.1");
        yarn = new MiniYARNCluster("vitspark-yarn-it", 1, 1, 1);
        yarn.init(conf);
        yarn.start();
        // start() can return before the resource manager has published its port
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
            assertTrue(System.nanoTime() < deadline, "resource manager did not publish its address");
            Thread.sleep(100);
        }
        confDir = Files.createDirectories(dir.resolve("hadoop-conf"));
        try (OutputStream out = Files.newOutputStream(confDir.resolve("yarn-site.xml"))) {
            yarn.getConfig().writeXml(out);
        }
    }

    @AfterEach
    void stopYarn() {
        if (yarn != null) {
            yarn.stop();
        }
    }

    @Test
    void submitYarnTrainsInClusterModeAndWritesTheRunDirectory() throws Exception {
        Path runs = dir.resolve("runs");
        String javaHome = System.getProperty("java.home");
        DeployScripts scripts = new DeployScripts(dir, Map.of("HADOOP_CONF_DIR", confDir.toString(),
                "VITSPARK_EXECUTORS", "2", "VITSPARK_EXECUTOR_MEMORY", "1g", "VITSPARK_HEAP", "1g",
                "VITSPARK_OFFHEAP", "2G"));
        String out = scripts.run(900, "deploy/submit-yarn",
                // the node manager is this test JVM, whose environment may lack JAVA_HOME; a cluster sets it in yarn-env
                "--conf", "spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome, "--conf", "spark.executorEnv.JAVA_HOME=" + javaHome,
                "--conf", "spark.yarn.stagingDir=" + dir.resolve("staging"),
                "train", "--config", "conf/fashion-mnist.conf", "--set", "run.root=\"" + runs + "\"",
                "--set", "run.id=yarn", "--set", "train.epochs=1", "--set", "data.train-limit=1024",
                "--set", "data.test-limit=256", "--set", "train.workers=2",
                "--set", "data.shards=\"" + dir.resolve("shards") + "\"");

        // spark-submit waited for the application, which YARN reports as succeeded
        try (YarnClient client = YarnClient.createYarnClient()) {
            client.init(yarn.getConfig());
            client.start();
            List<ApplicationReport> apps = client.getApplications();
            assertEquals(1, apps.size(), out);
            assertEquals(FinalApplicationStatus.SUCCEEDED, apps.get(0).getFinalApplicationStatus(), out);
        }
        Path run = runs.resolve("fashion-mnist/yarn");
        for (String f : List.of("config.conf", "metrics.jsonl", "summary.json", "weights.safetensors",
                "checkpoints/LATEST", "report/index.html")) {
            assertTrue(Files.exists(run.resolve(f)), f + " missing in " + run + "\n" + out);
        }
        assertTrue(Files.readAllLines(run.resolve("metrics.jsonl")).stream().anyMatch(l -> l.contains("\"kind\":\"eval\"")));
        TrainJobTest.assertOnlyWhatUsersRead(run);

        // the driver ran in the application master's container and the workers in two other containers
        String driverLog = containerLogs("stdout").stream().filter(s -> s.contains("preflight: worker"))
                .findFirst().orElseThrow(() -> new AssertionError("no driver log among the containers' stdout\n" + out));
        assertTrue(driverLog.contains("done: test top-1"), driverLog);
        assertTrue(driverLog.strip().endsWith("report/index.html"), driverLog);
        for (String w : List.of("preflight: worker 0: executor ", "preflight: worker 1: executor ")) {
            assertTrue(driverLog.contains(w) && !driverLog.contains(w + "driver"), w + " in\n" + driverLog);
        }
        assertEquals(3, containerLogs("stderr").size(), "application master + 2 executors");
    }

    /** The contents of every container's log file of this name, from the node manager's log folders. */
    private List<String> containerLogs(String name) throws Exception {
        String logDirs = yarn.getNodeManager(0).getConfig().get(YarnConfiguration.NM_LOG_DIRS);
        List<String> logs = new java.util.ArrayList<>();
        for (String d : logDirs.split(",")) {
            try (Stream<Path> files = Files.walk(Path.of(d.replaceFirst("^file:", "")))) {
                for (Path f : files.filter(f -> f.getFileName().toString().equals(name)).toList()) {
                    logs.add(Files.readString(f));
                }
            }
        }
        return logs;
    }
}
