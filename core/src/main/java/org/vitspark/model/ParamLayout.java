package org.vitspark.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Every trainable tensor of a model, in one flat vector: name, shape, offset and how it is initialised
 * and regularised. Names follow timm's ViT/Mixer layout in camelCase ({@code patchEmbed.proj.weight},
 * {@code blocks.3.attn.qkv.weight}, {@code blocks.0.mlpTokens.fc1.bias}, ...) because DL4J splits
 * gradient keys at the last underscore; {@link #torchName} gives the timm/PyTorch spelling. Weight
 * matrices are stored [out, in] as PyTorch does, so a state dict maps one to one.
 */
public final class ParamLayout {

    /** How a tensor is initialised (timm's ViT init: truncated normal 0.02 for linears and embeddings). */
    public enum Init { TRUNC_NORMAL, XAVIER_UNIFORM, ZEROS, ONES }

    /**
     * One tensor.
     *
     * @param decay whether decoupled weight decay applies (weight matrices only; not biases, LayerNorm,
     *              position embedding or class token, as in timm/big_vision)
     */
    public record Entry(String name, long[] shape, long offset, long length, Init init, boolean decay) {
    }

    /**
     * A tensor that is not part of the model but trains with it (an objective's projection or patch head):
     * appended after the model's tensors, so it shares the flat vector, the updater state, the averaging
     * and the checkpoints, while everything that reads the model (forward pass, export) sees the same
     * offsets as without it.
     */
    public record Extra(String name, Init init, boolean decay, long... shape) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private long total;

    private ParamLayout() {
    }

    public static ParamLayout of(ModelSpec m) {
        ParamLayout l = new ParamLayout();
        int d = m.dim();
        String stem = m.family() == ModelSpec.Family.VIT ? "patchEmbed.proj" : "stem.proj";
        l.add(stem + ".weight", Init.XAVIER_UNIFORM, true, d, m.channels(), m.patch(), m.patch());
        l.add(stem + ".bias", Init.ZEROS, false, d);
        if (m.family() == ModelSpec.Family.VIT) {
            if (m.hasClassToken()) {
                l.add("clsToken", Init.ZEROS, false, 1, 1, d);
            }
            l.add("posEmbed", Init.TRUNC_NORMAL, false, 1, m.tokens(), d);
        }
        for (int i = 0; i < m.depth(); i++) {
            String b = "blocks." + i + ".";
            l.norm(b + "norm1", d);
            if (m.family() == ModelSpec.Family.VIT) {
                ModelSpec.Block k = m.block(i);
                l.linear(b + "attn.qkv", 3 * k.attnDim(), d, m.qkvBias());
                l.linear(b + "attn.proj", d, k.attnDim(), true);
                l.norm(b + "norm2", d);
                l.linear(b + "mlp.fc1", k.mlpDim(), d, true);
                l.linear(b + "mlp.fc2", d, k.mlpDim(), true);
            } else {
                l.linear(b + "mlpTokens.fc1", m.tokenMlpDim(), m.tokens(), true);
                l.linear(b + "mlpTokens.fc2", m.tokens(), m.tokenMlpDim(), true);
                l.norm(b + "norm2", d);
                l.linear(b + "mlpChannels.fc1", m.mlpDim(), d, true);
                l.linear(b + "mlpChannels.fc2", d, m.mlpDim(), true);
            }
        }
        l.norm("norm", d);
        l.linear("head", m.classes(), d, true);
        return l;
    }

    /** The model's tensors followed by {@code extra} ones. */
    public static ParamLayout of(ModelSpec m, List<Extra> extra) {
        ParamLayout l = of(m);
        for (Extra e : extra) {
            if (l.entries.containsKey(e.name())) {
                throw new IllegalArgumentException("parameter " + e.name() + " is defined twice");
            }
            l.add(e.name(), e.init(), e.decay(), e.shape());
        }
        return l;
    }

    /** A layout of exactly these tensors, in this order (a composite network's own arrangement). */
    public static ParamLayout of(List<Extra> tensors) {
        ParamLayout l = new ParamLayout();
        for (Extra e : tensors) {
            if (l.entries.containsKey(e.name())) {
                throw new IllegalArgumentException("parameter " + e.name() + " is defined twice");
            }
            l.add(e.name(), e.init(), e.decay(), e.shape());
        }
        return l;
    }

    private void linear(String name, int out, int in, boolean bias) {
        add(name + ".weight", Init.TRUNC_NORMAL, true, out, in);
        if (bias) {
            add(name + ".bias", Init.ZEROS, false, out);
        }
    }

    private void norm(String name, int d) {
        add(name + ".weight", Init.ONES, false, d);
        add(name + ".bias", Init.ZEROS, false, d);
    }

    private void add(String name, Init init, boolean decay, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        entries.put(name, new Entry(name, shape, total, n, init, decay));
        total += n;
    }

    public long total() {
        return total;
    }

    public List<Entry> entries() {
        return Collections.unmodifiableList(new ArrayList<>(entries.values()));
    }

    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return e;
    }

    public boolean has(String name) {
        return entries.containsKey(name);
    }

    /** A c-order view of one tensor inside the flat vector (writes go through). */
    public INDArray view(INDArray flat, String name) {
        Entry e = entry(name);
        INDArray row = flat.reshape(flat.length());
        return row.get(NDArrayIndex.interval(e.offset(), e.offset() + e.length())).reshape('c', e.shape());
    }

    /** Views of every tensor, by name. */
    public Map<String, INDArray> views(INDArray flat) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Entry e : entries.values()) {
            out.put(e.name(), view(flat, e.name()));
        }
        return out;
    }

    /** timm/PyTorch state-dict name: {@code blocks.0.mlpTokens.fc1.weight} → {@code blocks.0.mlp_tokens.fc1.weight}. */
    public static String torchName(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
