package org.vitspark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The package dependency graph of a source tree, read from the sources: every reference to another
 * org.vitspark package, by import or fully qualified name (same-package references need neither). Used by
 * the tests that keep the packages free of cycles.
 */
public final class PackageGraph {

    private static final Pattern PACKAGE = Pattern.compile("^package org\\.vitspark\\.([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("org\\.vitspark\\.((?:[a-z0-9_]+\\.)*[a-z0-9_]+)\\.[A-Z]");

    /** package → packages it references, with the files that do. */
    public final Map<String, Map<String, Set<String>>> edges = new TreeMap<>();

    public static PackageGraph of(Path sourceRoot) {
        PackageGraph g = new PackageGraph();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f);
                Matcher pm = PACKAGE.matcher(src);
                if (!pm.find()) {
                    continue;
                }
                String pkg = pm.group(1);
                Map<String, Set<String>> out = g.edges.computeIfAbsent(pkg, k -> new TreeMap<>());
                Matcher m = REFERENCE.matcher(src);
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        out.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(f.getFileName().toString());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return g;
    }

    public Set<String> packages() {
        return edges.keySet();
    }

    /** Every cycle's packages as "a -> b (File.java) -> a", or empty; one report per strongly connected component. */
    public List<String> cycles() {
        List<String> found = new ArrayList<>();
        Set<String> reported = new TreeSet<>();
        for (String start : edges.keySet()) {
            if (reported.contains(start)) {
                continue;
            }
            List<String> path = pathBack(start);
            if (path != null) {
                path.forEach(step -> reported.add(step.split(" ")[0]));
                found.add(String.join(" -> ", path));
            }
        }
        return found;
    }

    /** A shortest path start → ... → start, with the files of each step, or null (breadth first). */
    private List<String> pathBack(String start) {
        Map<String, String> parent = new TreeMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String p = queue.poll();
            for (String next : edges.getOrDefault(p, Map.of()).keySet()) {
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>();
                    path.add(0, start);
                    for (String at = p; at != null; at = parent.get(at)) {
                        path.add(0, at + " " + edges.get(at).get(path.get(0).split(" ")[0]));
                    }
                    return path;
                }
                if (!parent.containsKey(next) && !next.equals(start)) {
                    parent.put(next, p);
                    queue.add(next);
                }
            }
        }
        return null;
    }
}
