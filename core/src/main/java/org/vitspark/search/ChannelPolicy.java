package org.vitspark.search;

import java.util.List;

/**
 * How a sub-network's widths map onto the supernet's shared channels (config search.channels):
 * <ul>
 * <li>{@code LEFT}: every width left-aligned, one pass per step (AutoSlim);</li>
 * <li>{@code BCNET}: each step runs the genome left- and right-aligned (Su et al. 2021 BCNet), widths
 *     aligned to the same side in both passes;</li>
 * <li>{@code CYCLIC}: as BCNET for the inner widths (q/k/v, MLP), while the token-embedding width uses its
 *     cyclic window ({@link Window#cyclic}) in both passes (ViTAS's cyclic weight sharing).</li>
 * </ul>
 */
public enum ChannelPolicy {
    LEFT, BCNET, CYCLIC;

    /** The alignments one step (or one score) runs: left only, or left and right. */
    public List<Window.Side> sides() {
        return this == LEFT ? List.of(Window.Side.LEFT) : List.of(Window.Side.LEFT, Window.Side.RIGHT);
    }

    /** The token-embedding channels of width index {@code dimIndex} on {@code side}. */
    public Window embedding(SearchSpace s, int dimIndex, Window.Side side) {
        return this == CYCLIC ? Window.cyclic(dimIndex, s.dims(), s.maxDim())
                : Window.aligned(s.dims().get(dimIndex), s.maxDim(), side);
    }
}
