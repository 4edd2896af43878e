package org.vitspark.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamInit;
import org.vitspark.model.ParamLayout;
import org.vitspark.model.Variants;

class FilterNormalizationTest {

    @Test
    void everyFilterHasItsWeightFiltersNormAndOneDimensionalParametersAreZero() {
        for (ModelSpec spec : new ModelSpec[] {Variants.find("tiny").orElseThrow(), Variants.find("mixer_tiny").orElseThrow()}) {
            ParamLayout layout = ParamLayout.of(spec);
            INDArray w = Nd4j.create(DataType.FLOAT, 1, layout.total());
            ParamInit.initialize(layout, w, 3);
            w.addi(Nd4j.randn(DataType.FLOAT, 1, layout.total()).muli(0.01)); // no all-zero filters
            INDArray d = FilterNormalization.direction(layout, w, 99);
            int filters = 0;
            for (ParamLayout.Entry e : layout.entries()) {
                INDArray dv = layout.view(d, e.name());
                INDArray wv = layout.view(w, e.name());
                if (e.shape().length == 1) {
                    assertEquals(0.0, dv.norm2Number().doubleValue(), 0.0, e.name());
                    continue;
                }
                long rows = e.shape()[0];
                INDArray dRows = dv.dup('c').reshape(rows, e.length() / rows);
                INDArray wRows = wv.dup('c').reshape(rows, e.length() / rows);
                for (int f = 0; f < rows; f++) {
                    double dn = dRows.getRow(f).norm2Number().doubleValue();
                    double wn = wRows.getRow(f).norm2Number().doubleValue();
                    assertEquals(wn, dn, 1e-5 * wn, e.name() + " filter " + f);
                    filters++;
                }
            }
            assertTrue(filters > 100);
            assertEquals(d, FilterNormalization.direction(layout, w, 99), "same seed, same direction");
            assertNotEquals(d, FilterNormalization.direction(layout, w, 100));
        }
    }
}
