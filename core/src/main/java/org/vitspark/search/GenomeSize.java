package org.vitspark.search;

/**
 * MACs and parameter counts of a genome's standalone network, from the genes alone (the search calls this
 * for every candidate; building the model is not needed). The convention is the model counter's
 * ({@link org.vitspark.model.ModelSize#macs}): every token the blocks see, the class token included, matrix
 * products only, a D·classes classifier; identity slots cost nothing.
 */
public final class GenomeSize {

    private GenomeSize() {
    }

    public static long macs(SearchSpace s, Genome g) {
        long p = g.patch(s);
        long t = s.tokens((int) p);
        long n = t - 1;
        long e = g.dim(s);
        long macs = n * s.base().channels() * p * p * e + e * s.base().classes();
        for (int i = 0; i < s.slots(); i++) {
            if (!g.isIdentity(s, i)) {
                long a = s.attnDims().get(g.attnIndex(i));
                long m = s.mlpDims().get(g.mlpIndex(i));
                macs += 3 * t * e * a + 2 * t * t * a + t * a * e + 2 * t * e * m;
            }
        }
        return macs;
    }

    public static long params(SearchSpace s, Genome g) {
        long p = g.patch(s);
        long t = s.tokens((int) p);
        long e = g.dim(s);
        long c = s.base().classes();
        long params = e * s.base().channels() * p * p + e + e + t * e + 2 * e + c * e + c;
        for (int i = 0; i < s.slots(); i++) {
            if (!g.isIdentity(s, i)) {
                long a = s.attnDims().get(g.attnIndex(i));
                long m = s.mlpDims().get(g.mlpIndex(i));
                params += 2 * e + 3 * a * e + (s.base().qkvBias() ? 3 * a : 0) + e * a + e
                        + 2 * e + m * e + m + e * m + e;
            }
        }
        return params;
    }
}
