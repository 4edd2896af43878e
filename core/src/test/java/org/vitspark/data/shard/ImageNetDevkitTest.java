package org.vitspark.data.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Struct;

/** The devkit's ID → WNID → sorted index chain, on a meta.mat written in the devkit's structure. */
public class ImageNetDevkitTest {

    @TempDir
    Path dir;

    /**
     * A meta.mat like the devkit's: a {@code synsets} struct array (fields ILSVRC2012_ID, WNID, words,
     * num_children, ...); {@code leaves.get(i)} gets ILSVRC2012_ID i+1, then one inner synset is appended
     * (ID leaves+1, two children) which must not become a class.
     */
    public static byte[] metaMat(List<String> leaves, Path scratch) throws IOException {
        int n = leaves.size() + 1;
        Struct synsets = Mat5.newStruct(n, 1);
        for (int i = 0; i < n; i++) {
            boolean leaf = i < leaves.size();
            synsets.set("ILSVRC2012_ID", i, Mat5.newScalar(i + 1));
            synsets.set("WNID", i, Mat5.newString(leaf ? leaves.get(i) : "n00001740"));
            synsets.set("words", i, Mat5.newString(leaf ? "class " + i : "entity"));
            synsets.set("num_children", i, Mat5.newScalar(leaf ? 0 : 2));
            synsets.set("wordnet_height", i, Mat5.newScalar(leaf ? 0 : 1));
        }
        MatFile mat = Mat5.newMatFile().addArray("synsets", synsets);
        Path f = scratch.resolve("meta-" + System.nanoTime() + ".mat");
        Mat5.writeToFile(mat, f.toFile());
        return Files.readAllBytes(f);
    }

    @Test
    void groundTruthIdsMapThroughMetaToSortedWnidIndices() throws Exception {
        // ILSVRC2012_IDs in meta.mat order are not the sorted-WNID order: ID 1 is the largest WNID here.
        List<String> byId = List.of("n04000000", "n01000000", "n03000000", "n02000000");
        Map<Integer, String> meta = ImageNetDevkit.readMeta(new ByteArrayInputStream(metaMat(byId, dir)), "meta.mat");
        assertEquals(Map.of(1, "n04000000", 2, "n01000000", 3, "n03000000", 4, "n02000000"), meta,
                "the inner synset (num_children 2) is not a class");
        String truth = "1\n2\n3\n4\n1\n";
        Map<Integer, String> val = ImageNetDevkit.readGroundTruth(
                new ByteArrayInputStream(truth.getBytes(StandardCharsets.US_ASCII)), meta, "gt.txt");
        assertEquals("n04000000", val.get(1));
        assertEquals("n01000000", val.get(2));
        assertEquals("n04000000", val.get(5));
        Vocabulary v = Vocabulary.of(ImageNetDevkit.classes(meta));
        assertEquals(3, v.label(val.get(1)), "ID 1 -> n04000000 -> sorted index 3, not ID-1 = 0");
        assertEquals(0, v.label(val.get(2)));
    }

    @Test
    void badGroundTruthNamesTheLine() throws Exception {
        Map<Integer, String> meta = Map.of(1, "n01000000");
        IOException e = assertThrows(IOException.class, () -> ImageNetDevkit.readGroundTruth(
                new ByteArrayInputStream("1\n7\n".getBytes(StandardCharsets.US_ASCII)), meta, "gt.txt"));
        assertTrue(e.getMessage().contains("gt.txt line 2") && e.getMessage().contains("7"), e.getMessage());
        e = assertThrows(IOException.class, () -> ImageNetDevkit.readGroundTruth(
                new ByteArrayInputStream("x\n".getBytes(StandardCharsets.US_ASCII)), meta, "gt.txt"));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void kaggleSolutionAndFileNames() throws Exception {
        String csv = "ImageId,PredictionString\nILSVRC2012_val_00008726,n02119789 255 142 454 329 n02119789 44 21 322 295\n"
                + "ILSVRC2012_val_00000001,n01751748 1 2 3 4\n";
        Map<Integer, String> val = ImageNetDevkit.readKaggleSolution(
                new ByteArrayInputStream(csv.getBytes(StandardCharsets.US_ASCII)), "LOC_val_solution.csv");
        assertEquals(Map.of(8726, "n02119789", 1, "n01751748"), val);
        assertEquals(19877, ImageNetDevkit.valNumber("ILSVRC2012_val_00019877.JPEG"));
        assertEquals(-1, ImageNetDevkit.valNumber("ILSVRC2012_val_19877.JPEG"));
        assertTrue(ImageNetDevkit.isWnid("n02105855"));
        assertTrue(!ImageNetDevkit.isWnid("dogs"));
    }
}
