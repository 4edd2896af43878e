package org.vitspark.model.ops;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** y = x·Wᵀ + b over rows, W stored [out, in] as in PyTorch. */
public final class Linear {

    private Linear() {
    }

    /** x [n, in], w [out, in], b [out] or null → y [n, out]. */
    public static INDArray forward(INDArray x, INDArray w, INDArray b) {
        INDArray y = Arena.uninitialized(x.dataType(), x.size(0), w.size(0));
        if (b != null && HostKernels.applies(y)) {
            // The bias goes in as GEMM's C with beta = 1: one row copy per row instead of a broadcast op.
            fillRows(y, b);
            Nd4j.gemm(x, w, y, false, true, 1.0, 1.0);
            return y;
        }
        Nd4j.gemm(x, w, y, false, true, 1.0, 0.0);
        if (b != null) {
            y.addiRowVector(b);
        }
        return y;
    }

    /**
     * Writes dW = dyᵀ·x and db = Σ dy into the gradient views and returns dx = dy·W (or null when the
     * input needs no gradient).
     */
    public static INDArray backward(INDArray dy, INDArray x, INDArray w, INDArray dw, INDArray db, boolean needDx) {
        Nd4j.gemm(dy, x, dw, true, false, 1.0, 0.0);
        if (db != null) {
            if (HostKernels.applies(dy)) {
                columnSums(dy, db);
            } else {
                db.assign(dy.sum(0));
            }
        }
        if (!needDx) {
            return null;
        }
        INDArray dx = Arena.uninitialized(dy.dataType(), dy.size(0), w.size(1));
        Nd4j.gemm(dy, w, dx, false, false, 1.0, 0.0);
        return dx;
    }

    private static void fillRows(INDArray y, INDArray b) {
        int cols = (int) y.size(1);
        float[] row = new float[cols];
        Host.read(b, row);
        FloatBuffer ys = Host.buf(y);
        Host.parallel((int) y.size(0), (chunk, from, to) -> {
            for (int r = from; r < to; r++) {
                ys.put(r * cols, row);
            }
        });
        Host.keep(y);
    }

    /** out[j] = Σ_r m[r, j], each thread summing its own rows. */
    static void columnSums(INDArray m, INDArray out) {
        int n = (int) m.size(0);
        int cols = (int) m.size(1);
        FloatBuffer ms = Host.buf(m);
        float[][] parts = new float[Host.chunks(n)][];
        Host.parallel(n, (chunk, from, to) -> {
            float[] acc = new float[cols];
            float[] row = new float[cols];
            for (int r = from; r < to; r++) {
                ms.get(r * cols, row);
                for (int j = 0; j < cols; j++) {
                    acc[j] += row[j];
                }
            }
            parts[chunk] = acc;
        });
        Host.keep(m);
        Host.write(out, Host.addUp(parts, cols));
    }
}
