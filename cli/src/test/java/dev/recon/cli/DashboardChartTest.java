package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recon.report.DashboardPage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dashboard's chart: a log scale, so a large first load does not flatten every later run. */
class DashboardChartTest {
    private static DashboardPage.Run run(long id, long differences, long applied, long failed) {
        return new DashboardPage.Run(id, "2026-12-07 02:15:00", "converged", "ok", differences, applied, failed,
                "1 s", null);
    }

    @Test
    void aFirstLoadOf20000RowsLeavesLaterRunsOfAFewRowsVisibleBars() {
        // newest first, as the history reads
        DashboardPage.History chart = Dashboard.chart(List.of(run(3, 5, 5, 0), run(2, 3, 2, 1),
                run(1, 20_000, 20_000, 0)));
        assertThat(chart.max()).isEqualTo(20_000);
        // oldest on the left: found, then applied and failed, in pixels of the 70 the bars have
        assertThat(chart.columns()).extracting(c -> c.found() + " " + c.applied() + " " + c.failed())
                .containsExactly("70 70 0", "10 8 2", "13 13 0");
        // a linear scale gave the run of 5 one pixel of 70 (5 / 20,000 of it)
        assertThat(Dashboard.height(5, 20_000)).isEqualTo(13);
        assertThat(Dashboard.height(1, 20_000)).isEqualTo(5);
        assertThat(Dashboard.height(0, 20_000)).isZero();
        // every bar stands on the base line (y 74) and no bar rises above the top (y 4)
        assertThat(chart.columns()).allSatisfy(c -> {
            assertThat(c.foundY() + c.found()).isEqualTo(DashboardPage.History.BARS + 4);
            assertThat(c.failedY() + c.failed()).isEqualTo(c.appliedY());
            assertThat(c.failedY()).isGreaterThanOrEqualTo(4);
        });
        // the axis says what the heights mean: the top's count, then 1, 10, 100, 1000 rows
        // (10000 is left out: too near the top's label)
        assertThat(chart.ticks()).extracting(t -> t.y() + " " + t.label())
                .containsExactly("4 20000", "69 1", "57 10", "41 100", "25 1000");
    }

    @Test
    void equalRunsFillTheChartAndOneRowIsAPixelAtLeast() {
        DashboardPage.History chart = Dashboard.chart(List.of(run(2, 1, 1, 0), run(1, 1, 0, 1)));
        assertThat(chart.max()).isEqualTo(1);
        assertThat(chart.columns()).extracting(c -> c.found() + " " + c.applied() + " " + c.failed())
                .containsExactly("70 0 70", "70 70 0");
        assertThat(chart.ticks()).extracting(DashboardPage.Tick::label).containsExactly("1");
    }
}
