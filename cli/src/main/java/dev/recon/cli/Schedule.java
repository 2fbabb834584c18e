package dev.recon.cli;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A cron expression (cron-utils): five fields as in crontab (minute hour day-of-month month
 * day-of-week), or six with seconds first, as Spring writes them ("*&#47;10 * * * * *").
 */
record Schedule(String expression, ExecutionTime times, ZoneId zone) {
    /** @throws IllegalArgumentException with a message fit for the user when the expression is not valid */
    static Schedule parse(String expression, ZoneId zone) {
        String trimmed = expression.trim();
        int fields = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
        CronType type = switch (fields) {
            case 5 -> CronType.UNIX;
            case 6 -> CronType.SPRING;
            default -> throw new IllegalArgumentException("--schedule '" + expression + "' has " + fields
                    + " fields; expected 5 (minute hour day-of-month month day-of-week, as in crontab) or 6 (seconds"
                    + " first)");
        };
        Cron cron;
        try {
            cron = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(type)).parse(trimmed).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--schedule '" + expression + "' is not a valid cron expression: "
                    + e.getMessage(), e);
        }
        return new Schedule(trimmed, ExecutionTime.forCron(cron), zone);
    }

    /** The first time after {@code now} the schedule fires. */
    ZonedDateTime next(ZonedDateTime now) {
        return times.nextExecution(now.withZoneSameInstant(zone))
                .orElseThrow(() -> new IllegalStateException("the schedule '" + expression + "' never fires again"));
    }
}
