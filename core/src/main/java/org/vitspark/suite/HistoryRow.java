package org.vitspark.suite;

/**
 * One row of a suite's history table: one metric of one experiment on one night.
 *
 * @param date       the night, yyyy-MM-dd (the run's --date)
 * @param revision   the git revision the night ran
 * @param configHash the experiment's resolved config hash (config.sha256 of its run)
 * @param bandMin    the band's lower bound that night, or null
 * @param bandMax    the band's upper bound that night, or null
 * @param status     ok, band (outside its band), regression (against earlier nights) or failed (no value)
 */
public record HistoryRow(String suite, String experiment, String date, String revision, String configHash,
                         String metric, double value, Double bandMin, Double bandMax, String status) {
}
