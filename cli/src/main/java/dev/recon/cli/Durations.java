package dev.recon.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations as people write them: 500ms, 30s, 5m, 1h; a bare number is seconds. */
final class Durations implements ITypeConverter<Duration> {
    /** The longest duration taken: a year (beyond it the clocks' arithmetic would overflow). */
    static final Duration MAX = Duration.ofDays(366);

    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        Matcher m = FORM.matcher(value.trim());
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a duration (examples: 500ms, 30s, 5m, 1h)");
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d;
        try {
            long n = Long.parseLong(m.group(1));
            d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            d = null;
        }
        if (d == null || d.compareTo(MAX) > 0) {
            throw new TypeConversionException("'" + value + "' is longer than recon waits for anything (at most "
                    + MAX.toDays() + " days)");
        }
        return d;
    }
}
