package org.vitspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitspark.data.image.ImageDecoderTest;
import org.vitspark.jobs.PreprocessJob;
import org.vitspark.shard.RoundTrip;
import picocli.CommandLine;
import org.vitspark.fs.HadoopFiles;

/**
 * Preprocessing from S3 to S3 with the real s3a:// filesystem against an in-process S3 server (S3Proxy,
 * in-memory store): the write goes through the S3A magic committer
 * (non-empty JSON _SUCCESS), the training reader streams the shards back with the local decode's labels
 * and pixels, and the secret key appears in no output.
 */
class S3RoundTripTest {

    private static final String ACCESS = "vitspark-access";
    private static final String SECRET = "s3-secret-canary-7f3a";
    private static S3Proxy proxy;
    private static Map<String, String> s3a;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startS3() throws Exception {
        BlobStore store = BlobStores.create("transient", new Properties());
        proxy = S3Proxy.builder().blobStore(store).awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
                .endpoint(URI.create("http://127.0.0.1:0")).ignoreUnknownHeaders(true).build();
        proxy.start();
        for (int i = 0; i < 1000 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(10);
        }
        store.createContainer("bucket");
        s3a = Map.of("fs.s3a.endpoint", "http://127.0.0.1:" + proxy.getPort(),
                "fs.s3a.endpoint.region", "us-east-1",
                "fs.s3a.path.style.access", "true",
                "fs.s3a.connection.ssl.enabled", "false",
                "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
                "fs.s3a.access.key", ACCESS,
                "fs.s3a.secret.key", SECRET);
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
    }

    @Test
    void preprocessFromS3ToS3ThroughTheMagicCommitterAndReadBack() throws Exception {
        Path local = tmp.resolve("src");
        String[] classes = {"cats", "dogs"};
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 6; i++) {
                Path f = local.resolve(classes[c] + "/" + i + (i % 2 == 0 ? ".jpg" : ".png"));
                Files.createDirectories(f.getParent());
                Files.write(f, ImageDecoderTest.encode(ImageDecoderTest.halves(30 + i, 20 + c, Color.PINK,
                        c == 0 ? Color.BLACK : Color.YELLOW), i % 2 == 0 ? "jpeg" : "png"));
            }
        }
        Configuration conf = new Configuration();
        s3a.forEach(conf::set);
        FileSystem fs = new org.apache.hadoop.fs.Path("s3a://bucket/").getFileSystem(conf);
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path("s3a://bucket/raw"));

        List<String> args = new ArrayList<>(List.of("--input", "s3a://bucket/raw", "--output", "s3a://bucket/shards",
                "--shards", "2", "--set", "spark.master=local[2]"));
        s3a.forEach((k, v) -> args.addAll(List.of("--set", "hadoop.\"" + k + "\"=\"" + v + "\"")));
        CommandLine cli = new CommandLine(new PreprocessJob());
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        assertEquals(0, cli.execute(args.toArray(String[]::new)), out.toString());
        assertFalse(out.toString().contains(SECRET), "the secret key is never printed");

        String success = HadoopFiles.readString(fs, new org.apache.hadoop.fs.Path("s3a://bucket/shards/train/_SUCCESS"));
        JsonNode committed = new ObjectMapper().readTree(success);
        assertTrue(committed.path("committer").asText().contains("magic"),
                "a JSON _SUCCESS names the S3A committer (a 0-byte one means the unsafe classic committer): " + success);
        String manifest = HadoopFiles.readString(fs, new org.apache.hadoop.fs.Path("s3a://bucket/shards/_manifest.json"));
        assertFalse(manifest.contains(SECRET), "nor written to the manifest");
        assertEquals(12, RoundTrip.assertReaderMatchesLocalDecode("s3a://bucket/shards", conf, "train", local,
                List.of(classes), 24));
    }
}
