package org.vitspark.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamInit;
import org.vitspark.model.ParamLayout;

/**
 * Power iteration against known spectra: a quadratic whose Hessian is built with chosen eigenvalues, and a
 * tiny ViT whose Hessian is built column by column from its (gradient-checked) backward pass and
 * diagonalised by LAPACK, all in double precision.
 */
class PowerIterationTest {

    /** H = Q diag(λ) Qᵀ with a random orthogonal Q (Gram-Schmidt on a Gaussian matrix's columns). */
    private static INDArray quadratic(double[] eigenvalues, long seed) {
        Nd4j.getRandom().setSeed(seed);
        int n = eigenvalues.length;
        INDArray q = Nd4j.randn(DataType.DOUBLE, n, n);
        for (int j = 0; j < n; j++) {
            INDArray c = q.getColumn(j);
            for (int k = 0; k < j; k++) {
                INDArray prev = q.getColumn(k);
                c.subi(prev.mul(prev.mul(c).sumNumber().doubleValue()));
            }
            c.divi(c.norm2Number());
        }
        return q.mmul(Nd4j.diag(Nd4j.createFromArray(eigenvalues))).mmul(q.transpose());
    }

    @Test
    void findsTheTopEigenvalueOfAQuadratic() {
        double[] lambdas = {7.5, -3, 2, 1, 0.5, 0.1, 0, -0.2};
        INDArray h = quadratic(lambdas, 3);
        INDArray start = Nd4j.randn(DataType.DOUBLE, 1, lambdas.length);
        // the gradient of ½ wᵀHw is Hw, so the Hessian-vector product is H v
        PowerIteration.Result r = PowerIteration.run(v -> v.mmul(h), start, null, 1e-12, 500, (i, l) -> { });
        assertEquals(7.5, r.eigenvalue(), 1e-9);
        assertTrue(r.converged());
        assertEquals(r.iterations(), r.history().size());
    }

    @Test
    void restrictedToABlockFindsThatBlocksTopEigenvalue() {
        // block-diagonal H: coordinates 0-2 have eigenvalues {4, 1, 0.5}, coordinates 3-5 {10, 2, 1}
        INDArray h = Nd4j.zeros(DataType.DOUBLE, 6, 6);
        h.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3))
                .assign(quadratic(new double[] {4, 1, 0.5}, 5));
        h.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 6), org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 6))
                .assign(quadratic(new double[] {10, 2, 1}, 6));
        INDArray mask = Nd4j.createFromArray(new double[][] {{1, 1, 1, 0, 0, 0}});
        INDArray start = Nd4j.randn(DataType.DOUBLE, 1, 6);
        assertEquals(4, PowerIteration.run(v -> v.mmul(h), start, mask, 1e-12, 500, (i, l) -> { }).eigenvalue(), 1e-9);
        assertEquals(10, PowerIteration.run(v -> v.mmul(h), start, null, 1e-12, 500, (i, l) -> { }).eigenvalue(), 1e-9);
    }

    @Test
    void stopsAtTheIterationLimitWithoutConverging() {
        INDArray h = quadratic(new double[] {1.0, 0.999, 0.5}, 9);
        PowerIteration.Result r = PowerIteration.run(v -> v.mmul(h), Nd4j.randn(DataType.DOUBLE, 1, 3), null, 1e-15, 3,
                (i, l) -> { });
        assertEquals(3, r.iterations());
        assertTrue(!r.converged());
    }

    static ModelSpec tinySpec() {
        // 4x4 images, 2x2 patches, width 4, one block: 175 parameters, so the explicit Hessian is 2·175 gradients
        return new ModelSpec("hessian", ModelSpec.Family.VIT, 4, 1, 3, 2, 4, 1, 2, 4, 0, ModelSpec.Pooling.CLS, 0, 0, true);
    }

    static LabelledImages tinyData(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, 1, 4, 4);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 3);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % 3, 1);
        }
        return LabelledImages.of(x, y);
    }

    @Test
    void tinyNetworkMatchesTheExplicitHessian() {
        ModelSpec spec = tinySpec();
        Probe probe = new Probe(spec, 8);
        ParamLayout layout = probe.net().layout();
        int p = (int) layout.total();
        INDArray w = Nd4j.create(DataType.FLOAT, 1, p);
        ParamInit.initialize(layout, w, 17);
        // larger weights than the init so the Hessian is far from trivial
        INDArray params = w.castTo(DataType.DOUBLE).muli(8);
        LabelledImages data = tinyData(6, 4);

        // explicit Hessian of the summed loss, column i = (∇L(w + h e_i) − ∇L(w − h e_i)) / 2h
        double h = 1e-5;
        INDArray hessian = Nd4j.create(DataType.DOUBLE, p, p);
        for (int i = 0; i < p; i++) {
            INDArray up = Nd4j.zeros(DataType.DOUBLE, 1, p);
            INDArray down = Nd4j.zeros(DataType.DOUBLE, 1, p);
            INDArray wp = params.dup();
            wp.putScalar(0, i, params.getDouble(0, i) + h);
            probe.addGradient(wp, data, up);
            INDArray wm = params.dup();
            wm.putScalar(0, i, params.getDouble(0, i) - h);
            probe.addGradient(wm, data, down);
            hessian.getRow(i).assign(up.subi(down).divi(2 * h));
        }
        double asymmetry = hessian.sub(hessian.transpose()).norm2Number().doubleValue() / hessian.norm2Number().doubleValue();
        assertTrue(asymmetry < 1e-6, "explicit Hessian not symmetric: " + asymmetry);
        INDArray sym = hessian.add(hessian.transpose()).divi(2);
        INDArray eig = Eigen.symmetricGeneralizedEigenvalues(sym.dup(), true);
        double dominant = 0;
        for (long i = 0; i < eig.length(); i++) {
            double e = eig.getDouble(i);
            dominant = Math.abs(e) > Math.abs(dominant) ? e : dominant;
        }

        // the finite-difference HVP along a random direction equals the explicit product
        INDArray v = Nd4j.randn(DataType.DOUBLE, 1, p);
        v.divi(v.norm2Number()); // unit length, as in the power iteration: the step r is then the actual step
        INDArray hv = Nd4j.zeros(DataType.DOUBLE, 1, p);
        probe.addHessianVector(params, v, 1e-5, data, hv);
        double rel = hv.sub(v.mmul(sym)).norm2Number().doubleValue() / hv.norm2Number().doubleValue();
        assertTrue(rel < 1e-6, "HVP vs explicit: " + rel);

        PowerIteration.Result r = PowerIteration.run(u -> {
            INDArray out = Nd4j.zeros(DataType.DOUBLE, 1, p);
            probe.addHessianVector(params, u, 1e-5, data, out);
            return out;
        }, Nd4j.randn(DataType.DOUBLE, 1, p), null, 1e-9, 400, (i, l) -> { });
        assertTrue(r.converged(), "no convergence in 400 iterations: " + r.history().subList(r.history().size() - 3,
                r.history().size()));
        assertEquals(dominant, r.eigenvalue(), 1e-5 * Math.abs(dominant), "eigenvalues " + eig);
        assertTrue(Math.abs(dominant) > 1e-2, "trivial Hessian: " + dominant);
        List<Double> history = r.history();
        assertEquals(r.eigenvalue(), history.get(history.size() - 1));
    }
}
