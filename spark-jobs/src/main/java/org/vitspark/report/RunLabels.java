package org.vitspark.report;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.vitspark.run.RunDirectory;

/** How runs are named on a report page: the run name (the folder above the run id), with the id where names repeat. */
public final class RunLabels {

    private RunLabels() {
    }

    public static List<String> of(List<RunDirectory> dirs) {
        List<String> names = new ArrayList<>();
        for (RunDirectory d : dirs) {
            names.add(d.path().getParent().getName());
        }
        Set<String> seen = new HashSet<>();
        Set<String> repeated = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                repeated.add(n);
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < dirs.size(); i++) {
            out.add(repeated.contains(names.get(i)) ? names.get(i) + "/" + dirs.get(i).path().getName() : names.get(i));
        }
        return out;
    }
}
