package org.vitspark.data.shard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Sources;
import us.hebi.matlab.mat.types.Struct;

/**
 * ILSVRC2012 validation labels. The devkit's ground-truth file gives each validation image (line n ↔
 * {@code ILSVRC2012_val_0000000n.JPEG}) a 1-based ILSVRC2012_ID in meta.mat's ordering, which is not the
 * sorted-WNID class index torchvision and timm use: the ID is mapped to its WNID through meta.mat's
 * {@code synsets} table, and the WNID to its index by {@link Vocabulary} (docs/shard-format.md,
 * "Odd files"). Kaggle's {@code LOC_val_solution.csv} names the WNID directly and is accepted instead.
 */
public final class ImageNetDevkit {

    /** Validation file names: the number is the line of the ground-truth file. */
    public static final Pattern VAL_NAME = Pattern.compile("ILSVRC2012_val_(\\d{8})\\.JPEG");
    private static final Pattern WNID = Pattern.compile("n\\d{8}");

    private ImageNetDevkit() {
    }

    /** meta.mat's leaf synsets (the 1,000 classes, {@code num_children == 0}) as ILSVRC2012_ID → WNID. */
    public static Map<Integer, String> readMeta(InputStream metaMat, String name) throws IOException {
        MatFile mat = Mat5.newReader(Sources.wrapInputStream(metaMat)).readMat();
        Struct synsets;
        try {
            synsets = mat.getStruct("synsets");
        } catch (RuntimeException e) {
            throw new IOException(name + ": no 'synsets' struct array (is this the ILSVRC2012 devkit's meta.mat?)", e);
        }
        Map<Integer, String> out = new TreeMap<>();
        for (int i = 0; i < synsets.getNumElements(); i++) {
            int id = synsets.getMatrix("ILSVRC2012_ID", i).getInt(0);
            int children = synsets.getMatrix("num_children", i).getInt(0);
            String wnid = synsets.getChar("WNID", i).getString().trim();
            if (children == 0) {
                if (!WNID.matcher(wnid).matches()) {
                    throw new IOException(name + ": synset " + id + " has WNID '" + wnid + "', expected n########");
                }
                out.put(id, wnid);
            }
        }
        if (out.isEmpty()) {
            throw new IOException(name + ": no leaf synsets");
        }
        return out;
    }

    /** Validation image number (1-based) → WNID from the ground-truth file's IDs. */
    public static Map<Integer, String> readGroundTruth(InputStream text, Map<Integer, String> idToWnid, String name)
            throws IOException {
        Map<Integer, String> out = new HashMap<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(text, StandardCharsets.US_ASCII));
        int n = 0;
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            n++;
            String t = line.trim();
            int id;
            try {
                id = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new IOException(name + " line " + n + ": expected an ILSVRC2012_ID, got '" + t + "'");
            }
            String wnid = idToWnid.get(id);
            if (wnid == null) {
                throw new IOException(name + " line " + n + ": ILSVRC2012_ID " + id + " is not a class in meta.mat");
            }
            out.put(n, wnid);
        }
        return out;
    }

    /** Validation image number → WNID from Kaggle's {@code ImageId,PredictionString} CSV (first WNID of the row). */
    public static Map<Integer, String> readKaggleSolution(InputStream csv, String name) throws IOException {
        Map<Integer, String> out = new HashMap<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(csv, StandardCharsets.US_ASCII));
        Pattern row = Pattern.compile("ILSVRC2012_val_(\\d{8}),\\s*(n\\d{8}).*");
        int n = 0;
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            n++;
            if (n == 1 && line.startsWith("ImageId")) {
                continue;
            }
            Matcher m = row.matcher(line.trim());
            if (!m.matches()) {
                throw new IOException(name + " line " + n + ": expected ILSVRC2012_val_########,n######## ..., got '"
                        + line + "'");
            }
            out.put(Integer.parseInt(m.group(1)), m.group(2));
        }
        return out;
    }

    /** The validation image number of a file name, or -1 when the name is not ILSVRC2012_val_########.JPEG. */
    public static int valNumber(String fileName) {
        Matcher m = VAL_NAME.matcher(fileName);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** True for WordNet ids (train folder names). */
    public static boolean isWnid(String name) {
        return WNID.matcher(name).matches();
    }

    /** The classes (WNIDs) of a meta table, for the vocabulary. */
    public static List<String> classes(Map<Integer, String> idToWnid) {
        return new ArrayList<>(idToWnid.values());
    }
}
