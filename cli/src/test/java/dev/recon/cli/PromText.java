package dev.recon.cli;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the Prometheus text format: every sample, keyed "name{label=value,...}" with the labels sorted. */
final class PromText {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private PromText() {
    }

    static Map<String, Double> parse(String body) {
        Map<String, Double> out = new TreeMap<>();
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalStateException("not a Prometheus sample: " + line);
            }
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.put(m.group(1) + (labels.isEmpty() ? "" : labels.toString().replace(", ", ",")),
                    Double.parseDouble(m.group(3)));
        }
        return out;
    }
}
