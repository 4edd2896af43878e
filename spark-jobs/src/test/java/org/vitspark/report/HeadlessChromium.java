package org.vitspark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens a page in headless Chromium (Debian's {@code chromium}) over the DevTools protocol and reports what
 * a reader would see go wrong: uncaught script exceptions, console errors (failed resource loads among
 * them) and images that did not load or decode.
 */
public final class HeadlessChromium implements AutoCloseable {

    /** What loading the page produced. */
    public record PageCheck(List<String> errors, List<String> brokenImages, int images) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://[^\\s]+)");

    private final Process process;
    private final Path profile;
    private final String httpBase;

    private HeadlessChromium(Process process, Path profile, String httpBase) {
        this.process = process;
        this.profile = profile;
        this.httpBase = httpBase;
    }

    static String binary() {
        for (String b : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(b))) {
                return b;
            }
        }
        throw new IllegalStateException("no Chromium: apt-get install chromium (README's test command installs it)");
    }

    public static HeadlessChromium start() throws IOException {
        Path profile = Files.createTempDirectory("chromium-profile");
        Process p = new ProcessBuilder(binary(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = err.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                URI ws = URI.create(m.group(1));
                // keep draining stderr so Chromium never blocks on a full pipe
                Thread drain = new Thread(() -> err.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                return new HeadlessChromium(p, profile, "http://" + ws.getHost() + ":" + ws.getPort());
            }
        }
        throw new IOException("Chromium exited without a DevTools endpoint:\n" + seen);
    }

    public PageCheck open(Path page) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String body = http.send(HttpRequest.newBuilder(URI.create(httpBase + "/json/new?about:blank"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body();
        String wsUrl = JSON.readTree(body).path("webSocketDebuggerUrl").asText();
        List<String> errors = new CopyOnWriteArrayList<>();
        ConcurrentHashMap<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
        CompletableFuture<Void> loaded = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(wsUrl), new WebSocket.Listener() {
            private final StringBuilder part = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                part.append(data);
                if (last) {
                    handle(part.toString());
                    part.setLength(0);
                }
                socket.request(1);
                return null;
            }

            private void handle(String text) {
                try {
                    JsonNode msg = JSON.readTree(text);
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = replies.remove(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                        return;
                    }
                    String method = msg.path("method").asText();
                    JsonNode p = msg.path("params");
                    switch (method) {
                        case "Runtime.exceptionThrown" -> errors.add("script exception: "
                                + p.path("exceptionDetails").path("exception").path("description").asText(
                                        p.path("exceptionDetails").path("text").asText()));
                        case "Runtime.consoleAPICalled" -> {
                            if ("error".equals(p.path("type").asText())) {
                                errors.add("console.error: " + p.path("args"));
                            }
                        }
                        case "Log.entryAdded" -> {
                            if ("error".equals(p.path("entry").path("level").asText())) {
                                errors.add("log: " + p.path("entry").path("text").asText() + " "
                                        + p.path("entry").path("url").asText());
                            }
                        }
                        case "Page.loadEventFired" -> loaded.complete(null);
                        default -> { }
                    }
                } catch (IOException e) {
                    errors.add("unreadable DevTools message: " + e);
                }
            }
        }).get(30, TimeUnit.SECONDS);
        AtomicInteger ids = new AtomicInteger();
        Cdp cdp = (method, params) -> {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> reply = new CompletableFuture<>();
            replies.put(id, reply);
            ObjectNode m = JSON.createObjectNode().put("id", id).put("method", method);
            m.set("params", params == null ? JSON.createObjectNode() : params);
            ws.sendText(JSON.writeValueAsString(m), true).get(30, TimeUnit.SECONDS);
            return reply.get(60, TimeUnit.SECONDS);
        };
        try {
            cdp.call("Runtime.enable", null);
            cdp.call("Log.enable", null);
            cdp.call("Page.enable", null);
            cdp.call("Page.navigate", JSON.createObjectNode().put("url", page.toUri().toString()));
            loaded.get(60, TimeUnit.SECONDS);
            JsonNode r = cdp.call("Runtime.evaluate", JSON.createObjectNode().put("returnByValue", true).put("expression",
                    "JSON.stringify(Array.from(document.images).map(i => [i.getAttribute('src'), i.complete, i.naturalWidth]))"));
            JsonNode imgs = JSON.readTree(r.path("result").path("result").path("value").asText("[]"));
            List<String> broken = new ArrayList<>();
            for (JsonNode i : imgs) {
                if (!i.get(1).asBoolean() || i.get(2).asInt() == 0) {
                    broken.add(i.get(0).asText());
                }
            }
            Thread.sleep(300); // late console events
            return new PageCheck(List.copyOf(errors), broken, imgs.size());
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    private interface Cdp {
        JsonNode call(String method, ObjectNode params) throws Exception;
    }

    @Override
    public void close() throws IOException {
        // Chromium's helpers (network service, renderer) outlive the browser process for a moment and keep
        // writing into the profile: stop them too (listed first: once the parent is gone they are not its
        // descendants any more), and delete the profile again if a file vanished under the walk
        java.util.List<ProcessHandle> helpers = process.descendants().toList();
        helpers.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle h : helpers) {
                h.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            helpers.forEach(ProcessHandle::destroyForcibly);
        }
        for (int attempt = 1; ; attempt++) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                return;
            } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }
}
