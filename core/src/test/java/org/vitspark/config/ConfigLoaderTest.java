package org.vitspark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private static VitsparkConfig load(Path file, Properties props, String... sets) {
        return ConfigLoader.standard().load(new ConfigSources(file, props, List.of(sets)));
    }

    private static VitsparkConfig load(String... sets) {
        return load(null, new Properties(), sets);
    }

    private static List<ConfigError> errors(Path file, String... sets) {
        return assertThrows(ConfigValidationException.class, () -> load(file, new Properties(), sets)).errors();
    }

    private static List<ConfigError> errors(String... sets) {
        return errors(null, sets);
    }

    private static ConfigError only(List<ConfigError> errors) {
        assertEquals(1, errors.size(), errors.toString());
        return errors.get(0);
    }

    @Test
    void unknownKeyIsNamedWithASuggestion() {
        ConfigError e = only(errors("model.hedas=4"));
        assertEquals("model.hedas", e.key());
        assertTrue(e.message().contains("unknown key"), e.message());
        assertTrue(e.message().contains("did you mean model.heads?"), e.message());
        assertTrue(e.origin().contains("--set model.hedas"), e.origin());
    }

    @Test
    void unknownSectionWithoutCloseMatchHasNoSuggestion() {
        ConfigError e = only(errors("zzz.qqq=1"));
        assertEquals("zzz.qqq", e.key());
        assertFalse(e.message().contains("did you mean"), e.message());
    }

    @Test
    void wrongTypeIsNamed() {
        ConfigError e = only(errors("train.epochs=many"));
        assertEquals("train.epochs", e.key());
        assertTrue(e.message().startsWith("wrong type: must be an integer"), e.message());
        assertEquals("train.epochs", only(errors("train.epochs=2.5")).key());
        assertEquals("optim.lr", only(errors("optim.lr=[1,2]")).key());
    }

    @Test
    void outOfRangeIsNamedWithTheRange() {
        ConfigError e = only(errors("optim.lr=-0.1"));
        assertEquals("optim.lr", e.key());
        assertTrue(e.message().contains("out of range") && e.message().contains("[0, 10]"), e.message());
        ConfigError choice = only(errors("backend.native-binary=onednn-avx521"));
        assertTrue(choice.message().contains("did you mean onednn-avx512?"), choice.message());
    }

    @Test
    void nullOnlyWhereAllowed() {
        assertEquals(64, load("model.dim=null").model().dim());
        assertEquals("train.epochs", only(errors("train.epochs=null")).key());
    }

    @Test
    void inconsistentCombinationIsNamed() {
        ConfigError e = only(errors("model.heads=5"));
        assertEquals("model.heads", e.key());
        assertTrue(e.message().contains("must divide model.dim (64)"), e.message());
        // the variant's heads no longer divide an overridden dim: the key the user touched is named
        assertEquals("model.dim", only(errors("model.dim=30")).key());
        assertEquals("model.patch", only(errors("model.patch=5")).key());
        assertEquals("model.variant", only(errors("model.variant=tiyn")).key());
    }

    @Test
    void searchListsAndSpaceRulesAreNamedByKey() {
        ConfigError element = only(errors("search.patches=[4, x]"));
        assertEquals("search.patches", element.key());
        assertTrue(element.message().contains("a non-empty list of integers, each in [1, 4096]"), element.message());
        assertEquals("search.dim-ratios", only(errors("search.dim-ratios=[0.5, 1.5]")).key());
        assertEquals("search.heads", only(errors("search.heads=[]")).key());
        ConfigError heads = only(errors("search.heads=[2, 5]"));
        assertEquals("search.heads", heads.key());
        assertTrue(heads.message().contains("5 heads do not divide the q/k/v width 48"), heads.message());
        assertEquals("search.patches", only(errors("search.patches=[4, 5]")).key());
        assertEquals("search.dim-ratios", only(errors("search.dim-ratios=[0.5, 0.5]")).key());
        assertEquals("search.band-min", only(errors("search.band-min=1.2")).key());
        assertEquals(List.of(4, 7), load().settings().search().patches());
    }

    @Test
    void aGenomeFileIsReadAtLoadAndABadOneIsAConfigurationError(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws IOException {
        Path file = tmp.resolve("genome.json");
        java.nio.file.Files.writeString(file, "{\"genomes\":[{\"architecture\":{\"patch\":7,\"dim\":40,\"blocks\":"
                + "[{\"heads\":2,\"attn\":48,\"mlp\":77},{\"heads\":8,\"attn\":96,\"mlp\":38}]}}]}");
        org.vitspark.model.ModelSpec m = load("model.genome=\"" + file + "\"").model();
        assertEquals(7, m.patch());
        assertEquals(40, m.dim());
        assertEquals(List.of(new org.vitspark.model.ModelSpec.Block(2, 48, 77),
                new org.vitspark.model.ModelSpec.Block(8, 96, 38)), m.blocks());
        assertEquals("model.genome", only(errors("model.genome=\"" + tmp.resolve("missing.json") + "\"")).key());
        java.nio.file.Files.writeString(file, "{\"architecture\":{\"patch\":5,\"dim\":40,\"blocks\":[]}}");
        ConfigError bad = only(errors("model.genome=\"" + file + "\""));
        assertEquals("model.genome", bad.key());
        assertTrue(bad.message().contains("not a genome file"), bad.message());
    }

    @Test
    void augmentationPipelinesAreParsedAtLoadAndNamedByKey() {
        assertEquals("augment.pipelines.mine", only(errors("augment.pipelines.mine=\"rrc(0.05,1) blur\"")).key());
        ConfigError bad = only(errors("augment.pipelines.weak=\"rrc(2,1)\""));
        assertEquals("augment.pipelines.weak", bad.key());
        assertTrue(bad.message().contains("out of range"), bad.message());
        ConfigError missing = only(errors("augment.train=strongest"));
        assertEquals("augment.train", missing.key());
        assertTrue(missing.message().contains("strong, weak"), missing.message());
        assertEquals("augment.pipelines.x", only(errors("augment.pipelines.x=3")).key());
        assertEquals("mine", load("augment.pipelines.mine=\"flip normalize(unit)\"", "augment.train=mine")
                .getString("augment.train"));
    }

    @Test
    void allErrorsAreReportedInOnePass() throws IOException {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "model {\n  hedas = 4\n}\ntrain.epochs = \"x\"\n");
        List<ConfigError> all = errors(file, "optim.lr=99", "model.heads=7");
        assertEquals(List.of("model.hedas", "optim.lr", "train.epochs", "model.heads"),
                all.stream().map(ConfigError::key).toList());
        assertTrue(all.get(0).origin().contains("bad.conf") && all.get(0).origin().contains("2"),
                "origin names the file and line: " + all.get(0).origin());
    }

    @Test
    void precedenceIsReferenceThenFileThenSystemPropertyThenSet() throws IOException {
        Path file = dir.resolve("exp.conf");
        Files.writeString(file, "train.epochs = 3\ntrain.log-every = 7\nrun.name = file\n");
        Properties props = new Properties();
        props.setProperty("vitspark.train.epochs", "5");
        props.setProperty("vitspark.run.name", "sysprop");
        props.setProperty("spark.app.name", "set by spark-submit, not ours"); // must be ignored
        VitsparkConfig c = load(file, props, "run.name=cli", "run.name=cli2");
        assertEquals(5, c.getInt("train.epochs"));
        assertEquals(7, c.getInt("train.log-every"));
        assertEquals("cli2", c.getString("run.name"));
        assertEquals(4, c.getInt("train.averaging-frequency"));
    }

    /**
     * Issue 19: the nested ({@code hadoop.fs.s3a.endpoint}) and quoted ({@code hadoop."fs.s3a.endpoint"}) forms
     * of one Hadoop or Spark property obey the documented order of sources, for every pair of sources and both
     * ways round; a quoted -D key becomes the property without quotes.
     */
    @Test
    void bothFormsOfAPropertyFollowThePrecedenceOfTheirSources() throws IOException {
        String[] sources = {"file", "-D", "--set"};
        for (String section : List.of("hadoop", "spark.conf")) {
            String nested = section + ".fs.s3a.endpoint";
            String quoted = section + ".\"fs.s3a.endpoint\"";
            for (int lo = 0; lo < 3; lo++) {
                for (int hi = lo + 1; hi < 3; hi++) {
                    for (boolean quotedHigh : new boolean[] {true, false}) {
                        Path file = dir.resolve("p.conf");
                        Properties props = new Properties();
                        List<String> sets = new java.util.ArrayList<>();
                        String[] keys = {quotedHigh ? nested : quoted, quotedHigh ? quoted : nested};
                        String[] values = {"low", "high"};
                        Files.writeString(file, "");
                        for (int i = 0; i < 2; i++) {
                            switch (sources[i == 0 ? lo : hi]) {
                                case "file" -> Files.writeString(file, keys[i] + " = " + values[i] + "\n");
                                case "-D" -> props.setProperty("vitspark." + keys[i], values[i]);
                                default -> sets.add(keys[i] + "=" + values[i]);
                            }
                        }
                        VitsparkConfig c = load(file, props, sets.toArray(new String[0]));
                        String at = sources[lo] + " < " + sources[hi] + (quotedHigh ? ", quoted above" : ", nested above");
                        assertEquals(Map.of("fs.s3a.endpoint", "high"), c.properties(section), section + ": " + at);
                    }
                }
            }
        }
    }

    /** Issue 19: what can be checked before any work is: schedules and includes. */
    @Test
    void schedulesAndIncludesAreCheckedAtLoad() throws IOException {
        assertEquals("optim.min-lr", only(errors("optim.lr=0.001", "optim.min-lr=0.01")).key());
        assertEquals("optim.warmup-epochs", only(errors("train.epochs=2", "optim.warmup-epochs=3")).key());
        load("train.epochs=1"); // the default 1-epoch warm-up fills a one-epoch smoke run: allowed
        Path base = dir.resolve("base.conf");
        Files.writeString(base, "train.epochs = 4\n");
        Path file = dir.resolve("exp.conf");
        Files.writeString(file, "include \"base.conf\"\ninclude \"bsae.conf\"\nrun.name = x\n");
        ConfigError e = only(errors(file));
        assertEquals("include", e.key());
        assertTrue(e.message().contains("\"bsae.conf\" not found") && e.origin().endsWith("exp.conf: 2"), e.toString());
        Files.writeString(file, "include \"base.conf\"\nrun.name = x\n");
        assertEquals(4, load(file, new Properties()).getInt("train.epochs"));
    }

    @Test
    void systemPropertyValuesAreTypeChecked() {
        Properties props = new Properties();
        props.setProperty("vitspark.train.epochs", "ten");
        List<ConfigError> e = assertThrows(ConfigValidationException.class,
                () -> load(null, props)).errors();
        assertEquals("train.epochs", only(e).key());
        assertTrue(only(e).origin().contains("-D"), only(e).origin());
    }

    @Test
    void missingOrUnparsableFileIsAnError() throws IOException {
        assertEquals("--config", only(errors(dir.resolve("nope.conf"))).key());
        Path broken = dir.resolve("broken.conf");
        Files.writeString(broken, "model { dim = \n");
        ConfigError e = only(errors(broken));
        assertTrue(e.message().contains("broken.conf"), e.message());
    }

    @Test
    void plainStringsNeedNoQuotesOnTheCommandLine() {
        assertEquals("local[2]", load("spark.master=local[2]").getString("spark.master"));
        assertEquals("spark://host:7077", load("spark.master=spark://host:7077").getString("spark.master"));
    }

    @Test
    void freeFormPropertiesAcceptQuotedAndDottedKeys() {
        VitsparkConfig c = load("hadoop.\"fs.s3a.endpoint\"=http://127.0.0.1:9000",
                "spark.conf.\"spark.executor.memory\"=8g");
        assertEquals(Map.of("fs.s3a.endpoint", "http://127.0.0.1:9000"), c.properties("hadoop"));
        assertEquals("8g", c.properties("spark.conf").get("spark.executor.memory"));
    }

    /** Issue 19: the key families Hadoop itself marks sensitive are hidden too, and Spark is told to hide them. */
    @Test
    void keysHadoopMarksSensitiveAreHiddenAndSparkRedactsThem() {
        String canary = "CANARY-hadoop-sensitive";
        List<String> keys = List.of("fs.azure.account.key.myaccount.blob.core.windows.net", "fs.s3a.encryption.key",
                "fs.gs.auth.service.account.private.key", "fs.azure.oauth2.client.secret", "dfs.web.credential",
                "fs.s3a.bucket.b.session.token");
        String[] sets = keys.stream().map(k -> "hadoop.\"" + k + "\"=" + canary).toArray(String[]::new);
        VitsparkConfig c = load(sets);
        assertFalse(c.render().contains(canary), c.render());
        java.util.regex.Pattern spark = java.util.regex.Pattern.compile(c.settings().spark().redactionRegex());
        for (String k : keys) {
            assertTrue(c.secrets().isSecret("hadoop.\"" + k + "\""), k);
            assertTrue(spark.matcher("spark.hadoop." + k).find(), "Spark's redaction misses " + k);
        }
        assertFalse(spark.matcher("spark.hadoop.fs.s3a.endpoint").find());
        assertFalse(spark.matcher("spark.executor.memory").find());
    }

    /** Issue 19: no error echoes a value that may be a secret, and credentials in a URI are refused. */
    @Test
    void errorsNeverEchoSecretsAndUrisMayNotCarryCredentials() {
        String canary = "CANARY-uri-secret";
        ConfigError colon = only(errors("hadoop.fs.s3a.secret.key:" + canary));
        assertFalse(colon.toString().contains(canary), colon.toString());
        assertTrue(colon.message().contains("'=', not ':'"), colon.message());
        assertFalse(only(errors("no-equals-sign-" + canary)).toString().contains(canary));
        ConfigError uri = only(errors("data.path=s3a://AKIAKEY:" + canary + "@bucket/data"));
        assertEquals("data.path", uri.key());
        assertFalse(uri.toString().contains(canary), uri.toString());
        ConfigError typed = only(errors("optim.lr=s3a://AKIAKEY:" + canary + "@bucket"));
        assertFalse(typed.toString().contains(canary), typed.toString());
        assertEquals("x [hidden]@host/p and s3a://[hidden]@b",
                Secrets.withoutUserInfo("x [hidden]@host/p and s3a://k:s@b"));
    }

    @Test
    void secretsAreHiddenInTheRenderingAndDoNotChangeTheHash() {
        String canary = "CANARY-7f3e9d-not-for-logs";
        VitsparkConfig c = load("hadoop.\"fs.s3a.secret.key\"=" + canary,
                "hadoop.\"fs.s3a.session.token\"=" + canary + "-token",
                "hadoop.\"fs.s3a.endpoint\"=http://localhost");
        assertFalse(c.render().contains(canary), c.render());
        assertFalse(c.renderForRunDirectory().contains("CANARY"));
        assertTrue(c.render().contains(Secrets.HIDDEN));
        assertTrue(c.render().contains("http://localhost"), "non-secret values stay visible");
        assertEquals(canary, c.properties("hadoop").get("fs.s3a.secret.key"), "the program still gets the secret");
        VitsparkConfig other = load("hadoop.\"fs.s3a.secret.key\"=another",
                "hadoop.\"fs.s3a.session.token\"=x", "hadoop.\"fs.s3a.endpoint\"=http://localhost");
        assertEquals(c.hash(), other.hash());
        assertEquals("log [hidden] end", c.secrets().scrub(c.raw(), "log " + canary + " end"));
    }

    @Test
    void ownKeysThatLookLikeSecretsStayVisibleSoASavedConfigLoadsBack() {
        // "token" is a secret word, but model.token-mlp-dim is a declared model key, not a credential
        VitsparkConfig c = load("model.variant=mixer_tiny", "model.token-mlp-dim=48");
        assertTrue(c.renderForRunDirectory().contains("token-mlp-dim=48"), c.renderForRunDirectory());
        assertEquals(48, c.model().tokenMlpDim());
    }

    @Test
    void userMarkedSecretsAreHiddenToo() {
        VitsparkConfig c = load("run.secret-keys=[\"(?i)mlflow\"]", "spark.conf.\"spark.mlflow.auth\"=s3cr3tvalue");
        assertFalse(c.render().contains("s3cr3tvalue"), c.render());
        assertEquals("run.secret-keys", only(errors("run.secret-keys=[\"(unclosed\"]")).key());
    }

    @Test
    void hashDependsOnValuesNotOnKeyOrder() {
        assertEquals(load("train.epochs=3", "optim.lr=0.01").hash(), load("optim.lr=0.01", "train.epochs=3").hash());
        assertNotEquals(load("train.epochs=3").hash(), load("train.epochs=4").hash());
    }

    @Test
    void sectionSetToAScalarIsAnError() {
        ConfigError e = only(errors("model=3"));
        assertEquals("model", e.key());
        assertTrue(e.message().contains("section"), e.message());
    }
}
