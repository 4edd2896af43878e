package org.vitspark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page checker itself: it must see a missing image, an undecodable image and a script error. */
class HeadlessChromiumTest {

    @TempDir
    Path dir;

    @Test
    void reportsBrokenImagesAndScriptErrorsAndPassesAGoodPage() throws Exception {
        byte[] png = Charts.png(Charts.lines("t", "x", "y", List.of(new Charts.Series("s", new double[] {0, 1},
                new double[] {1, 2})), false), 200, 100);
        Files.write(dir.resolve("good.png"), png);
        Files.write(dir.resolve("corrupt.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Files.writeString(dir.resolve("bad.html"), "<!DOCTYPE html><html><body><img src=\"good.png\">"
                + "<img src=\"missing.png\"><img src=\"corrupt.png\"><script>undefinedFunction();</script></body></html>");
        Files.writeString(dir.resolve("good.html"), "<!DOCTYPE html><html><body><img src=\"good.png\">"
                + "<script>document.body.dataset.ok = '1';</script></body></html>");
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            HeadlessChromium.PageCheck bad = browser.open(dir.resolve("bad.html"));
            assertEquals(3, bad.images());
            assertEquals(List.of("missing.png", "corrupt.png"), bad.brokenImages());
            assertTrue(bad.errors().stream().anyMatch(e -> e.contains("undefinedFunction")), bad.errors().toString());
            HeadlessChromium.PageCheck good = browser.open(dir.resolve("good.html"));
            assertEquals(List.of(), good.errors());
            assertEquals(List.of(), good.brokenImages());
            assertEquals(1, good.images());
        }
    }
}
