package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** --schedule: crontab's five fields, or six with seconds first, in the chosen time zone. */
class ScheduleTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void fiveFieldsFireAsCrontabDoesInTheScheduleTimeZone() {
        Schedule nightly = Schedule.parse(" 15 2 * * * ", PARIS);
        assertThat(nightly.expression()).isEqualTo("15 2 * * *");
        ZonedDateTime now = ZonedDateTime.of(2026, 12, 2, 1, 0, 0, 0, ZoneId.of("UTC"));
        // 01:00 UTC is 02:00 in Paris: the next 02:15 Paris is 15 minutes later
        assertThat(nightly.next(now).toInstant()).isEqualTo(now.plusMinutes(15).toInstant());
        assertThat(nightly.next(nightly.next(now)).toInstant()).isEqualTo(now.plusMinutes(15).plusDays(1).toInstant());
    }

    @Test
    void aTickThatFiresAMomentEarlyDoesNotFireAgain() {
        Schedule every3 = Schedule.parse("*/3 * * * * *", PARIS);
        ZonedDateTime fired = ZonedDateTime.of(2026, 12, 2, 17, 42, 42, 0, PARIS);
        // the timer woke 1 ms before the wall clock reached the time it fired for
        assertThat(Scheduler.following(every3, fired.minusNanos(1_000_000), fired)).isEqualTo(fired.plusSeconds(3));
        assertThat(Scheduler.following(every3, fired.minusNanos(1_000_000), null)).isEqualTo(fired);
        // a tick that ran late goes on from now
        assertThat(Scheduler.following(every3, fired.plusSeconds(7), fired)).isEqualTo(fired.plusSeconds(9));
    }

    @Test
    void sixFieldsHaveSecondsFirst() {
        Schedule often = Schedule.parse("*/30 * * * * *", PARIS);
        ZonedDateTime now = ZonedDateTime.of(2026, 12, 2, 3, 4, 5, 0, PARIS);
        assertThat(often.next(now)).isEqualTo(now.withSecond(30));
    }

    @Test
    void aWrongExpressionSaysWhatIsWrong() {
        assertThatThrownBy(() -> Schedule.parse("15 2 * *", PARIS)).hasMessage("--schedule '15 2 * *' has 4 fields;"
                + " expected 5 (minute hour day-of-month month day-of-week, as in crontab) or 6 (seconds first)");
        assertThatThrownBy(() -> Schedule.parse("61 2 * * *", PARIS))
                .hasMessageStartingWith("--schedule '61 2 * * *' is not a valid cron expression: ");
        assertThatThrownBy(() -> Schedule.parse("", PARIS)).hasMessageContaining("has 0 fields");
    }
}
