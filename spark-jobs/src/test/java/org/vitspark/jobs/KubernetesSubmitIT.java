package org.vitspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/submit-k8s without a Kubernetes cluster (there is none here): the spark-submit command it
 * generates is captured by a SPARK_HOME whose bin/spark-submit records its arguments, and checked against
 * what "Running Spark on Kubernetes" (Spark 3.5) requires: a k8s:// master in cluster deploy mode, the
 * container image, the application jar as a local:// path inside the image, secrets referenced as
 * spark.kubernetes.{driver,executor}.secretKeyRef.ENV=name:key (never a secret's value), local files
 * only with spark.kubernetes.file.upload.path, GPUs as spark.executor.resource.gpu.* with vendor
 * nvidia.com, and a pod template file that is a Pod.
 */
class KubernetesSubmitIT {

    private static final String MASTER = "k8s://https://k8s.example.org:6443";
    private static final Pattern SECRET_REF =
            Pattern.compile("spark\\.kubernetes\\.(driver|executor)\\.secretKeyRef\\.[A-Z_][A-Z0-9_]*=[a-z0-9.-]+:[A-Za-z0-9._-]+");

    @TempDir
    Path dir;

    private record Result(int exit, String output, List<String> args) {
    }

    private Result submit(Map<String, String> extraEnv, String... jobArgs) throws Exception {
        Path sparkHome = dir.resolve("spark-home");
        Path record = dir.resolve("spark-submit.args");
        Files.createDirectories(sparkHome.resolve("bin"));
        Path fake = sparkHome.resolve("bin/spark-submit");
        Files.writeString(fake, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" > '" + record + "'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.deleteIfExists(record);
        List<String> cmd = new ArrayList<>(List.of("deploy/submit-k8s", MASTER));
        cmd.addAll(List.of(jobArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(DeployScripts.TOP.toFile()).redirectErrorStream(true);
        Map<String, String> env = new HashMap<>(Map.of("SPARK_HOME", sparkHome.toString(),
                "VITSPARK_IMAGE", "registry.example.org/vitspark:0.1.0",
                "AWS_SECRET_ACCESS_KEY", "CANARY-k8s-secret-3f1a"));
        env.putAll(extraEnv);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        return new Result(p.exitValue(), out, Files.exists(record) ? Files.readAllLines(record) : List.of());
    }

    private static List<String> confs(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size() - 1; i++) {
            if (args.get(i).equals("--conf")) {
                out.add(args.get(i + 1));
            }
        }
        return out;
    }

    private static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        assertTrue(i >= 0 && i + 1 < args.size(), name + " missing in " + args);
        return args.get(i + 1);
    }

    @Test
    void generatedSubmissionIsWhatSparkOnKubernetesRequires() throws Exception {
        Result r = submit(Map.of("VITSPARK_UPLOAD_PATH", "s3a://bucket/vitspark-upload", "VITSPARK_GPUS", "1",
                "VITSPARK_NAMESPACE", "ml", "VITSPARK_SERVICE_ACCOUNT", "spark", "VITSPARK_EXECUTORS", "8"),
                "train", "--config", "conf/fashion-mnist.conf", "--set", "train.epochs=3");
        assertEquals(0, r.exit(), r.output());
        List<String> a = r.args();
        assertEquals(MASTER, option(a, "--master"));
        assertEquals("cluster", option(a, "--deploy-mode"));
        assertEquals("org.vitspark.jobs.Vitspark", option(a, "--class"));
        // application jar inside the image, then the job and its arguments, the config file by its name
        int app = a.indexOf("local:///opt/vitspark/vitspark-app.jar");
        assertTrue(app > 0, a.toString());
        assertEquals(List.of("train", "--config", "fashion-mnist.conf", "--set", "train.epochs=3"), a.subList(app + 1, a.size()));
        // shipped from the submitting machine (spark-submit resolves it against its working directory)
        assertTrue(Files.isRegularFile(DeployScripts.TOP.resolve(option(a, "--files"))), option(a, "--files"));
        assertEquals("fashion-mnist.conf", Path.of(option(a, "--files")).getFileName().toString());

        Map<String, String> conf = new HashMap<>();
        for (String c : confs(a)) {
            int eq = c.indexOf('=');
            assertTrue(eq > 0, c);
            conf.put(c.substring(0, eq), c.substring(eq + 1));
        }
        assertEquals("registry.example.org/vitspark:0.1.0", conf.get("spark.kubernetes.container.image"));
        assertEquals("ml", conf.get("spark.kubernetes.namespace"));
        assertEquals("8", conf.get("spark.executor.instances"));
        assertEquals("spark", conf.get("spark.kubernetes.authenticate.driver.serviceAccountName"));
        assertEquals("s3a://bucket/vitspark-upload", conf.get("spark.kubernetes.file.upload.path"));
        List<String> refs = confs(a).stream().filter(c -> c.contains("secretKeyRef")).toList();
        assertEquals(4, refs.size(), refs.toString());
        for (String ref : refs) {
            assertTrue(SECRET_REF.matcher(ref).matches(), ref);
        }
        assertEquals("vitspark-s3:secret-key", conf.get("spark.kubernetes.driver.secretKeyRef.AWS_SECRET_ACCESS_KEY"));
        assertEquals("vitspark-s3:secret-key", conf.get("spark.kubernetes.executor.secretKeyRef.AWS_SECRET_ACCESS_KEY"));
        assertFalse(String.join(" ", a).contains("CANARY"), "a secret's value on the command line");
        // GPUs: one per executor and task, vendor for the Kubernetes resource name, and the pod template
        assertEquals("1", conf.get("spark.executor.resource.gpu.amount"));
        assertEquals("1", conf.get("spark.task.resource.gpu.amount"));
        assertEquals("nvidia.com", conf.get("spark.executor.resource.gpu.vendor"));
        assertTrue(conf.get("spark.executor.resource.gpu.discoveryScript").startsWith("/"));
        Path template = Path.of(conf.get("spark.kubernetes.executor.podTemplateFile"));
        assertTrue(template.isAbsolute() && Files.exists(template), template.toString());
        List<String> lines = Files.readAllLines(template).stream().filter(l -> !l.startsWith("#")).toList();
        assertTrue(lines.contains("apiVersion: v1") && lines.contains("kind: Pod"), lines.toString());
        assertTrue(lines.contains("    - key: nvidia.com/gpu") && lines.contains("      effect: NoSchedule"), lines.toString());
        // what every vitspark submission carries: Java 17 flags and JavaCPP's memory limits, driver and executors
        assertTrue(conf.get("spark.executor.extraJavaOptions").contains("-Dorg.bytedeco.javacpp.maxbytes="));
        assertTrue(conf.get("spark.executor.extraJavaOptions").contains("-Dorg.bytedeco.javacpp.maxphysicalbytes=15G"));
        assertTrue(conf.get("spark.driver.extraJavaOptions").contains("-Dorg.bytedeco.javacpp.maxphysicalbytes=15G"));
        assertTrue(conf.get("spark.driver.extraJavaOptions").contains("--add-modules=jdk.incubator.vector"));
        assertTrue(conf.get("spark.executor.extraJavaOptions").contains(VectorJitFlagTest.FLAG), "D37");
    }

    @Test
    void aLocalConfigWithoutAnUploadPathIsRefusedBeforeSubmitting() throws Exception {
        Result r = submit(Map.of(), "train", "--config", "conf/fashion-mnist.conf");
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().contains("VITSPARK_UPLOAD_PATH") && r.output().contains("conf/fashion-mnist.conf"), r.output());
        assertTrue(r.args().isEmpty(), "spark-submit must not run");
        // CPU executors: no GPU resources, no template; a config inside the image needs no upload
        Result cpu = submit(Map.of(), "train", "--config", "/opt/vitspark/conf/fashion-mnist.conf");
        assertEquals(0, cpu.exit(), cpu.output());
        assertTrue(confs(cpu.args()).stream().noneMatch(c -> c.contains("gpu") || c.contains("podTemplate")
                || c.contains("upload.path")), cpu.args().toString());
        assertFalse(cpu.args().contains("--files"), cpu.args().toString());
    }
}
