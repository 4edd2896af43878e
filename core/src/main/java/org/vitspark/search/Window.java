package org.vitspark.search;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The channels of a shared tensor one sub-network uses along one axis: at most two contiguous intervals
 * (a cyclic window wraps around once), so slicing copies rectangles instead of gathering single indices.
 */
public record Window(int[] starts, int[] lengths) implements Serializable {

    /** Which end of the axis an inner width is aligned to (BCNet runs each genome both ways). */
    public enum Side { LEFT, RIGHT }

    public Window {
        if (starts.length != lengths.length || starts.length == 0 || starts.length > 2) {
            throw new IllegalArgumentException("a window is one or two intervals");
        }
    }

    /** {@code [0, width)} (left) or {@code [max − width, max)} (right): AutoSlim's and BCNet's slices. */
    public static Window aligned(int width, int max, Side side) {
        check(width, max);
        return new Window(new int[] {side == Side.LEFT ? 0 : max - width}, new int[] {width});
    }

    /** The whole axis. */
    public static Window all(int max) {
        return aligned(max, max, Side.LEFT);
    }

    /**
     * ViTAS's cyclic sharing of the token-embedding channels, as we define it (the paper's mapping table is
     * not public): candidate widths c₁ < … < c_K of a width-E axis take consecutive windows around the
     * circle, s₁ = 0 and s_{k+1} = (s_k + c_k) mod E, candidate k using channels (s_k + t) mod E for
     * t &lt; c_k. The windows laid end to end cover the circle Σc_k / E times, so every channel serves
     * ⌊Σc/E⌋ or ⌈Σc/E⌉ of the candidate widths: the channels train evenly, where left alignment gives the
     * first channels every width and the last ones only the widest.
     */
    public static Window cyclic(int index, List<Integer> widths, int max) {
        long start = 0;
        for (int k = 0; k < index; k++) {
            start += widths.get(k);
        }
        int s = (int) (start % max);
        int c = widths.get(index);
        check(c, max);
        if (s + c <= max) {
            return new Window(new int[] {s}, new int[] {c});
        }
        return new Window(new int[] {s, 0}, new int[] {max - s, c - (max - s)});
    }

    private static void check(int width, int max) {
        if (width < 1 || width > max) {
            throw new IllegalArgumentException("width " + width + " outside 1.." + max);
        }
    }

    public int width() {
        int w = 0;
        for (int l : lengths) {
            w += l;
        }
        return w;
    }

    /** Every channel index in order (tests and small tensors). */
    public int[] indices() {
        int[] out = new int[width()];
        int k = 0;
        for (int i = 0; i < starts.length; i++) {
            for (int t = 0; t < lengths[i]; t++) {
                out[k++] = starts[i] + t;
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Window w && Arrays.equals(starts, w.starts) && Arrays.equals(lengths, w.lengths);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(starts) + Arrays.hashCode(lengths);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < starts.length; i++) {
            b.append(i == 0 ? "" : "+").append('[').append(starts[i]).append(',').append(starts[i] + lengths[i]).append(')');
        }
        return b.toString();
    }
}
