package org.vitspark.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The schedule assets of deploy/schedule: the Airflow DAG (parsed by Python's ast, no Airflow needed), the
 * Spark operator's ScheduledSparkApplication (parsed as YAML and checked against the operator's documented
 * v1beta2 fields) and the cron wrapper (its lock, a crashed holder, the date it passes, log rotation and
 * the exit code), the wrapper driving a stand-in for the launcher that records its arguments.
 */
class ScheduleAssetsTest {

    private static final Path SCHEDULE = Path.of("..", "deploy", "schedule").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** Python's ast: the DAG's keyword arguments and the SparkSubmitOperator's, as JSON. */
    private static final String AST_DUMP = """
            import ast, json, sys
            tree = ast.parse(open(sys.argv[1]).read())
            # module-level constants (VITSPARK_HOME = "...") so that f-strings and names evaluate; nothing imported
            env = {}
            for node in tree.body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    try:
                        env[node.targets[0].id] = ast.literal_eval(node.value)
                    except ValueError:
                        pass
            def lit(node):
                try:
                    return eval(compile(ast.Expression(node), "dag", "eval"), {"__builtins__": {}}, dict(env))
                except Exception:
                    return ast.unparse(node)
            out = {}
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("DAG", "SparkSubmitOperator"):
                    out[node.func.id] = {k.arg: lit(k.value) for k in node.keywords}
            imports = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
            out["imports"] = imports
            print(json.dumps(out))
            """;

    @Test
    void theAirflowDagSubmitsTheNightlySuiteOnceANight() throws Exception {
        Path script = dir.resolve("dump.py");
        Files.writeString(script, AST_DUMP);
        Process p = new ProcessBuilder("python3", script.toString(), SCHEDULE.resolve("vitspark_nightly_dag.py").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        JsonNode dag = new ObjectMapper().readTree(out);
        assertTrue(dag.get("imports").toString().contains("airflow.providers.apache.spark.operators.spark_submit"), out);
        JsonNode d = dag.get("DAG");
        assertEquals("vitspark_nightly", d.get("dag_id").asText());
        assertEquals(1, d.get("max_active_runs").asInt(), "two nights never run at once");
        assertTrue(d.has("catchup") && !d.get("catchup").asBoolean(), out);
        assertEquals(5, d.get("schedule").asText().split(" ").length, "a cron expression: " + d.get("schedule"));
        JsonNode op = dag.get("SparkSubmitOperator");
        assertEquals("org.vitspark.jobs.Vitspark", op.get("java_class").asText());
        assertTrue(op.get("application").asText().endsWith("vitspark-app.jar"), out);
        List<String> args = new ObjectMapper().convertValue(op.get("application_args"), List.class);
        assertEquals("nightly", args.get(0));
        assertTrue(args.get(1).endsWith("conf/suites/reproduce.conf"), args.toString());
        assertEquals("{{ ds }}", args.get(args.indexOf("--date") + 1), "the logical date: a backfill reruns that night");
        for (String role : List.of("driver", "executor")) {
            String opts = op.get("conf").get("spark." + role + ".extraJavaOptions").asText();
            assertTrue(opts.contains("--add-modules=jdk.incubator.vector") && opts.contains("maxphysicalbytes"), opts);
        }
    }

    /** SparkApplicationSpec and SparkPodSpec fields of sparkoperator.k8s.io/v1beta2 (the operator's API docs). */
    private static final Set<String> APP_FIELDS = Set.of("type", "sparkVersion", "mode", "proxyUser", "image",
            "imagePullPolicy", "imagePullSecrets", "mainClass", "mainApplicationFile", "arguments", "sparkConf",
            "hadoopConf", "sparkConfigMap", "hadoopConfigMap", "volumes", "driver", "executor", "deps", "restartPolicy",
            "nodeSelector", "failureRetries", "retryInterval", "pythonVersion", "memoryOverheadFactor", "monitoring",
            "batchScheduler", "timeToLiveSeconds", "batchSchedulerOptions", "sparkUIOptions", "dynamicAllocation");
    private static final Set<String> POD_FIELDS = Set.of("cores", "coreLimit", "memory", "memoryOverhead", "gpu",
            "image", "configMaps", "secrets", "env", "envVars", "envFrom", "envSecretKeyRefs", "labels", "annotations",
            "volumeMounts", "affinity", "tolerations", "podSecurityContext", "securityContext", "schedulerName",
            "sidecars", "initContainers", "hostNetwork", "nodeSelector", "dnsConfig", "terminationGracePeriodSeconds",
            "serviceAccount", "hostAliases", "shareProcessNamespace", "coreRequest", "javaOptions", "lifecycle",
            "ports", "podName", "kubernetesMaster", "serviceAnnotations", "instances", "deleteOnTermination");

    @Test
    @SuppressWarnings("unchecked")
    void theScheduledSparkApplicationUsesTheOperatorsFieldsAndForbidsOverlap() throws IOException {
        Map<String, Object> doc = new Yaml().load(Files.readString(SCHEDULE.resolve("vitspark-nightly.yaml")));
        assertEquals("sparkoperator.k8s.io/v1beta2", doc.get("apiVersion"));
        assertEquals("ScheduledSparkApplication", doc.get("kind"));
        Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
        assertTrue(Set.of("schedule", "template", "suspend", "concurrencyPolicy", "successfulRunHistoryLimit",
                "failedRunHistoryLimit").containsAll(spec.keySet()), spec.keySet().toString());
        assertEquals("Forbid", spec.get("concurrencyPolicy"));
        assertEquals(5, ((String) spec.get("schedule")).split(" ").length);
        Map<String, Object> app = (Map<String, Object>) spec.get("template");
        assertTrue(APP_FIELDS.containsAll(app.keySet()), "unknown SparkApplicationSpec fields: " + app.keySet());
        assertEquals("Java", app.get("type"));
        assertEquals("cluster", app.get("mode"));
        assertEquals("org.vitspark.jobs.Vitspark", app.get("mainClass"));
        List<String> args = (List<String>) app.get("arguments");
        assertEquals("nightly", args.get(0));
        for (String role : List.of("driver", "executor")) {
            Map<String, Object> pod = (Map<String, Object>) app.get(role);
            assertTrue(POD_FIELDS.containsAll(pod.keySet()), "unknown " + role + " fields: " + pod.keySet());
            assertTrue(((String) pod.get("javaOptions")).contains("maxphysicalbytes"), role);
            Map<String, Map<String, String>> secrets = (Map<String, Map<String, String>>) pod.get("envSecretKeyRefs");
            assertEquals(Set.of("name", "key"), secrets.get("AWS_SECRET_ACCESS_KEY").keySet(), "a secret by reference");
        }
        assertTrue(!Files.readString(SCHEDULE.resolve("vitspark-nightly.yaml")).matches("(?s).*AKIA[0-9A-Z]{12,}.*"));
    }

    private Process cron(Map<String, String> env, String... args) throws IOException {
        ProcessBuilder b = new ProcessBuilder(SCHEDULE.resolve("nightly-cron").toString());
        b.command().addAll(List.of(args));
        b.environment().put("VITSPARK_CRON_DIR", dir.resolve("cron").toString());
        b.environment().put("VITSPARK_NIGHTLY", dir.resolve("launcher").toString());
        b.environment().putAll(env);
        return b.redirectErrorStream(true).start();
    }

    private static String finish(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        return out;
    }

    @Test
    void theCronWrapperLocksPassesTheNightAndItsExitCodeAndRotatesLogs() throws Exception {
        Path suite = dir.resolve("smoke.conf");
        Files.writeString(suite, "suite { name = smoke }\n");
        // the launcher's stand-in: records its arguments, then, while a "hold" file exists, becomes a long
        // sleep (exec: one process, so killing it frees the inherited lock; a polling loop would fork short
        // sleeps that a kill can orphan and that keep the lock a moment longer), else exits with the code in
        // "rc" (the nightly job itself is tested end to end with the smoke suite)
        Path launcher = dir.resolve("launcher");
        Files.writeString(launcher, "#!/usr/bin/env bash\necho \"$@\" >> " + dir.resolve("calls") + "\n"
                + "[ -e " + dir.resolve("hold") + " ] && exec sleep 600\nexit $(cat " + dir.resolve("rc") + ")\n");
        launcher.toFile().setExecutable(true);
        Files.writeString(dir.resolve("rc"), "3");
        Files.writeString(dir.resolve("hold"), "");
        Process first = cron(Map.of("VITSPARK_DATE", "2026-12-01"), suite.toString(), "--set", "run.root=/r");
        while (!Files.exists(dir.resolve("calls"))) {
            Thread.sleep(50);
        }
        Process second = cron(Map.of("VITSPARK_DATE", "2026-12-01"), suite.toString());
        String refused = finish(second);
        assertEquals(75, second.exitValue(), refused);
        assertTrue(refused.contains("suite smoke is already running: pid " + first.pid()) && refused.contains("since"),
                refused);
        // the holder crashes: the kernel drops its lock and the next start runs (the stand-in too is killed)
        List<ProcessHandle> holders = first.descendants().toList();
        holders.forEach(ProcessHandle::destroyForcibly);
        first.destroyForcibly().waitFor();
        for (ProcessHandle h : holders) {
            h.onExit().get(30, TimeUnit.SECONDS); // SIGKILL is asynchronous: the lock goes with the last holder
        }
        Files.delete(dir.resolve("hold"));
        Process rerun = cron(Map.of("VITSPARK_DATE", "2026-12-01"), suite.toString());
        finish(rerun);
        assertEquals(3, rerun.exitValue(), "the nightly job's exit code passes through");
        assertEquals(List.of("nightly " + suite + " --date 2026-12-01 --set run.root=/r",
                "nightly " + suite + " --date 2026-12-01"), Files.readAllLines(dir.resolve("calls")));
        String log = Files.readString(dir.resolve("cron/logs/smoke-2026-12-01.log"));
        assertEquals(2, log.split("suite smoke night 2026-12-01 start", -1).length - 1, "a rerun appends: " + log);
        assertTrue(log.contains("exit 3"), log);
        // rotation: the newest VITSPARK_CRON_KEEP logs of the suite stay
        Files.writeString(dir.resolve("rc"), "0");
        for (String night : List.of("2026-12-02", "2026-12-03", "2026-12-04")) {
            Process p = cron(Map.of("VITSPARK_DATE", night, "VITSPARK_CRON_KEEP", "2"), suite.toString());
            finish(p);
            assertEquals(0, p.exitValue());
            Thread.sleep(1100); // distinct modification times for ls -t
        }
        try (var logs = Files.list(dir.resolve("cron/logs"))) {
            assertEquals(List.of("smoke-2026-12-03.log", "smoke-2026-12-04.log"),
                    logs.map(f -> f.getFileName().toString()).sorted().toList());
        }
        Process missing = cron(Map.of(), dir.resolve("none.conf").toString());
        assertTrue(finish(missing).contains("suite file not found"));
        assertEquals(2, missing.exitValue());
    }
}
