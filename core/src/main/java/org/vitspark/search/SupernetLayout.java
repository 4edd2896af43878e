package org.vitspark.search;

import java.util.ArrayList;
import java.util.List;
import org.vitspark.model.ParamLayout;
import org.vitspark.model.ParamLayout.Extra;
import org.vitspark.model.ParamLayout.Init;

/**
 * The supernet's shared tensors at their widest (E, A, M the largest embedding, q/k/v and MLP widths), in
 * one flat vector:
 * <ul>
 * <li>per patch side p a private stem, class token and position embedding ({@code patch4.proj.weight},
 *     {@code patch4.clsToken}, {@code patch4.posEmbed}): ViTAS's private class token per patch size;</li>
 * <li>per slot: LayerNorms; Q and K private to each head count ({@code slots.0.attn.q4.weight}), V shared
 *     by all head counts ({@code slots.0.attn.v.weight}), as the reference code's {@code heads_share} mode;
 *     the projection and the MLP;</li>
 * <li>the final LayerNorm and the classifier.</li>
 * </ul>
 * Initialisation and weight decay follow the standalone model's rules for the same kind of tensor.
 */
public final class SupernetLayout {

    private SupernetLayout() {
    }

    public static ParamLayout of(SearchSpace s) {
        int e = s.maxDim();
        int a = s.maxAttnDim();
        int m = s.maxMlpDim();
        int c = s.base().channels();
        List<Extra> t = new ArrayList<>();
        for (int p : s.patches()) {
            String n = "patch" + p + ".";
            t.add(new Extra(n + "proj.weight", Init.XAVIER_UNIFORM, true, e, c, p, p));
            t.add(new Extra(n + "proj.bias", Init.ZEROS, false, e));
            t.add(new Extra(n + "clsToken", Init.ZEROS, false, 1, 1, e));
            t.add(new Extra(n + "posEmbed", Init.TRUNC_NORMAL, false, 1, s.tokens(p), e));
        }
        for (int i = 0; i < s.slots(); i++) {
            String b = "slots." + i + ".";
            norm(t, b + "norm1", e);
            for (int h : s.heads()) {
                linear(t, b + "attn.q" + h, a, e, s.base().qkvBias());
                linear(t, b + "attn.k" + h, a, e, s.base().qkvBias());
            }
            linear(t, b + "attn.v", a, e, s.base().qkvBias());
            linear(t, b + "attn.proj", e, a, true);
            norm(t, b + "norm2", e);
            linear(t, b + "mlp.fc1", m, e, true);
            linear(t, b + "mlp.fc2", e, m, true);
        }
        norm(t, "norm", e);
        linear(t, "head", s.base().classes(), e, true);
        return ParamLayout.of(t);
    }

    private static void linear(List<Extra> t, String name, int out, int in, boolean bias) {
        t.add(new Extra(name + ".weight", Init.TRUNC_NORMAL, true, out, in));
        if (bias) {
            t.add(new Extra(name + ".bias", Init.ZEROS, false, out));
        }
    }

    private static void norm(List<Extra> t, String name, int d) {
        t.add(new Extra(name + ".weight", Init.ONES, false, d));
        t.add(new Extra(name + ".bias", Init.ZEROS, false, d));
    }
}
