package org.vitspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitspark.data.shard.SourceImage;

/**
 * Issue 19: symbolic links inside class folders are not followed, on the real local filesystem: a link up the
 * tree no longer lists another class's images under the wrong label, a cycle of links no longer hangs the
 * listing, and every link left out is counted by its path.
 */
class FolderListingTest {

    @TempDir
    Path dir;

    @Test
    void linksAreCountedNotFollowedAndCyclesDoNotHang() throws Exception {
        Path root = dir.resolve("data");
        for (String cls : List.of("a", "b")) {
            Files.createDirectories(root.resolve(cls + "/sub"));
        }
        for (int i = 0; i < 9; i++) {
            Files.write(root.resolve("a/" + i + ".png"), new byte[] {1, 2, 3});
        }
        for (int i = 0; i < 4; i++) {
            Files.write(root.resolve("b/sub/" + i + ".png"), new byte[] {4});
        }
        Files.createSymbolicLink(root.resolve("a/loop"), Path.of(".."));            // up the tree: would list b as a
        Files.createSymbolicLink(root.resolve("a/b-file.png"), root.resolve("b/sub/0.png"));
        Files.createDirectories(root.resolve("c/x"));
        Files.createDirectories(root.resolve("c/y"));
        Files.createSymbolicLink(root.resolve("c/x/to-y"), root.resolve("c/y"));    // a cycle of two links
        Files.createSymbolicLink(root.resolve("c/y/to-x"), root.resolve("c/x"));
        Files.createSymbolicLink(root.resolve("d"), root.resolve("a"));             // a linked class folder

        FileSystem fs = FileSystem.getLocal(new Configuration());
        FolderListing.Listing l = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> FolderListing.list(fs, new org.apache.hadoop.fs.Path(root.toUri())));
        Map<String, Integer> perClass = new TreeMap<>();
        for (SourceImage s : l.images()) {
            perClass.merge(s.className(), 1, Integer::sum);
            String folder = s.key().substring(0, s.key().indexOf('/'));
            assertEquals(folder, s.className(), "a file is labelled by a folder it does not sit in: " + s.key());
        }
        assertEquals(Map.of("a", 9, "b", 4), perClass);
        assertEquals(List.of("a/b-file.png", "a/loop", "c/x/to-y", "c/y/to-x", "d"),
                l.links().stream().sorted().toList());
        assertEquals(9 * 3 + 4, l.bytes());
    }
}
