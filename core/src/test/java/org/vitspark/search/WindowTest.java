package org.vitspark.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The cyclic rule spreads the embedding channels evenly over the candidate widths; left alignment does not. */
class WindowTest {

    /** How many candidate widths use each channel. */
    private static int[] usage(ChannelPolicy policy, SearchSpace s, Window.Side side) {
        int[] count = new int[s.maxDim()];
        for (int k = 0; k < s.dims().size(); k++) {
            for (int c : policy.embedding(s, k, side).indices()) {
                count[c]++;
            }
        }
        return count;
    }

    private static int spread(int[] count) {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int c : count) {
            min = Math.min(min, c);
            max = Math.max(max, c);
        }
        return max - min;
    }

    @Test
    void cyclicUsageCountsDifferByAtMostOne() {
        SearchSpace s = Spaces.fashion();
        int[] count = usage(ChannelPolicy.CYCLIC, s, Window.Side.LEFT);
        // 10 widths summing to 5.5·192 = 1,056 channel uses: every channel serves 5 or 6 of them
        assertEquals(1056, java.util.Arrays.stream(count).sum());
        assertTrue(spread(count) <= 1, "cyclic usage spread " + spread(count));
        for (int c : count) {
            assertTrue(c == 5 || c == 6, "usage " + c);
        }
        // left alignment: channel 0 serves all 10 widths, the last channels only the widest
        int[] left = usage(ChannelPolicy.LEFT, s, Window.Side.LEFT);
        assertEquals(10, left[0]);
        assertEquals(1, left[191]);
    }

    @Test
    void cyclicUsageIsEvenForArbitraryWidthLists() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            int max = 5 + r.nextInt(300);
            java.util.TreeSet<Integer> widths = new java.util.TreeSet<>();
            int n = 1 + r.nextInt(12);
            while (widths.size() < Math.min(n, max)) {
                widths.add(1 + r.nextInt(max));
            }
            widths.add(max);
            List<Integer> w = List.copyOf(widths);
            int[] count = new int[max];
            for (int k = 0; k < w.size(); k++) {
                Window win = Window.cyclic(k, w, max);
                assertEquals(w.get(k), win.width());
                assertTrue(win.starts().length <= 2);
                for (int c : win.indices()) {
                    count[c]++;
                }
            }
            assertTrue(spread(count) <= 1, "widths " + w + " of " + max);
        }
    }

    @Test
    void cyclicWindowsFollowOneAnotherAroundTheCircle() {
        // widths 3, 5, 6 of 6: [0,3), then [3,6)+[0,2), then [2,6)+[0,2)
        List<Integer> w = List.of(3, 5, 6);
        assertArrayEquals(new int[] {0, 1, 2}, Window.cyclic(0, w, 6).indices());
        assertArrayEquals(new int[] {3, 4, 5, 0, 1}, Window.cyclic(1, w, 6).indices());
        assertArrayEquals(new int[] {2, 3, 4, 5, 0, 1}, Window.cyclic(2, w, 6).indices());
    }

    @Test
    void alignedWindowsTakeEitherEnd() {
        assertArrayEquals(new int[] {0, 1}, Window.aligned(2, 5, Window.Side.LEFT).indices());
        assertArrayEquals(new int[] {3, 4}, Window.aligned(2, 5, Window.Side.RIGHT).indices());
    }
}
